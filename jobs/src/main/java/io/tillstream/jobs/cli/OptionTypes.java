package io.tillstream.jobs.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value types whose parsing is their validation; {@link Cli} prefixes each message with the option. */
public final class OptionTypes {
  /** YYYY-MM-DD. */
  public static final class Date implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      try {
        return LocalDate.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not a date YYYY-MM-DD");
      }
    }
  }

  /** A whole number of at least zero; 1_000_000 is allowed. */
  public static final class Count implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        long n = Long.parseLong(value.replace("_", ""));
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // the message below
      }
      throw new TypeConversionException("'" + value + "' is not a non-negative integer");
    }
  }

  /** A share between 0 and 1. */
  public static final class Rate implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        double d = Double.parseDouble(value);
        if (d >= 0 && d <= 1) {
          return d;
        }
      } catch (NumberFormatException e) {
        // the message below
      }
      throw new TypeConversionException("'" + value + "' is not a rate between 0 and 1");
    }
  }

  /** Records per second, at least zero (zero: no limit). */
  public static final class PerSecond implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        double d = Double.parseDouble(value);
        if (d >= 0) {
          return d;
        }
      } catch (NumberFormatException e) {
        // the message below
      }
      throw new TypeConversionException("'" + value + "' is not a non-negative number of records per second");
    }
  }

  private OptionTypes() {}
}
