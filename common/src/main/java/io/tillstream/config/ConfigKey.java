package io.tillstream.config;

import java.util.function.Function;

/**
 * One configuration key, declared once in {@link ConfigKeys}: its name, default, description and the type its text
 * becomes. The type's parser is the key's validation: {@link TillstreamConfig} parses every key when it loads, and
 * {@link TillstreamConfig#get(ConfigKey)} hands out the parsed value.
 */
public record ConfigKey<T>(String name, String defaultValue, String description, Type<T> type) {

  /**
   * How a value's text becomes a {@code T}: {@code parse} throws any RuntimeException on text it refuses, and
   * {@code expected} says what it accepts, for the error message.
   */
  public record Type<T>(Function<String, T> parse, String expected) {}

  /** The value of {@code text}, or a {@link ConfigError} naming the key, the text and what it expects. */
  public T parse(String text) {
    try {
      return type.parse().apply(text);
    } catch (ConfigError e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ConfigError("bad value '" + text + "' for configuration key '" + name + "': expected "
          + type.expected());
    }
  }
}
