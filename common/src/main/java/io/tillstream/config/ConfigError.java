package io.tillstream.config;

/** A configuration or usage problem: the message names the key and the fix. Jobs exit with code 2. */
public class ConfigError extends RuntimeException {
  public ConfigError(String message) {
    super(message);
  }
}
