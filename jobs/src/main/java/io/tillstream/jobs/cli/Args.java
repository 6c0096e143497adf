package io.tillstream.jobs.cli;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Minimal parser for "--name value" options (repeatable ones collect), flags and positional arguments. */
public final class Args {
  private final Map<String, List<String>> options = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();
  private final boolean help;

  private Args(Map<String, List<String>> options, List<String> positional, boolean help) {
    this.options.putAll(options);
    this.positional.addAll(positional);
    this.help = help;
  }

  /** {@code valued}: options that take a value; {@code repeatable}: those that may occur more than once. */
  public static Args parse(String[] argv, Set<String> valued, Set<String> repeatable, int maxPositional) {
    return parse(argv, valued, repeatable, Set.of(), maxPositional);
  }

  /** As above, with {@code flags}: options without a value (--zorder), read with {@link #flag}. */
  public static Args parse(String[] argv, Set<String> valued, Set<String> repeatable, Set<String> flags,
      int maxPositional) {
    Map<String, List<String>> opts = new LinkedHashMap<>();
    List<String> pos = new ArrayList<>();
    boolean help = false;
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.equals("--help") || a.equals("-h")) {
        help = true;
      } else if (a.startsWith("--")) {
        String name = a.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq > 0 && !name.startsWith("set")) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (flags.contains(name)) {
          if (value != null) {
            throw new UsageError("option --" + name + " takes no value");
          }
          value = "true";
        } else if (!valued.contains(name)) {
          throw new UsageError("unknown option --" + name);
        }
        if (value == null) {
          if (i + 1 >= argv.length) {
            throw new UsageError("option --" + name + " needs a value");
          }
          value = argv[++i];
        }
        List<String> values = opts.computeIfAbsent(name, k -> new ArrayList<>());
        if (!values.isEmpty() && !repeatable.contains(name)) {
          throw new UsageError("option --" + name + " given twice");
        }
        values.add(value);
      } else {
        pos.add(a);
      }
    }
    if (!help && pos.size() > maxPositional) {
      throw new UsageError("unexpected argument '" + pos.get(maxPositional) + "'");
    }
    return new Args(opts, pos, help);
  }

  public boolean help() {
    return help;
  }

  public boolean flag(String name) {
    return options.containsKey(name);
  }

  public String get(String name, String def) {
    List<String> v = options.get(name);
    return v == null ? def : v.get(0);
  }

  public List<String> all(String name) {
    return options.getOrDefault(name, List.of());
  }

  public List<String> positional() {
    return positional;
  }

  public LocalDate date(String name) {
    String v = get(name, null);
    if (v == null) {
      return null;
    }
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new UsageError("--" + name + " '" + v + "' is not a date YYYY-MM-DD");
    }
  }

  public long positiveLong(String name, Long def) {
    String v = get(name, null);
    if (v == null) {
      if (def == null) {
        throw new UsageError("option --" + name + " is required");
      }
      return def;
    }
    try {
      long n = Long.parseLong(v.replace("_", ""));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageError("--" + name + " '" + v + "' is not a non-negative integer");
    }
  }

  public double rate(String name) {
    return rate(name, 0);
  }

  public double rate(String name, double def) {
    String v = get(name, Double.toString(def));
    try {
      double d = Double.parseDouble(v);
      if (!(d >= 0 && d <= 1)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new UsageError("--" + name + " '" + v + "' is not a rate between 0 and 1");
    }
  }
}
