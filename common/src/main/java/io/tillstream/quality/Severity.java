package io.tillstream.quality;

import java.util.Locale;

/** What happens to a record that breaks a rule. */
public enum Severity {
  /** Rejected into silver.quarantine with its reason. */
  QUARANTINE,
  /** Accepted; the rule id is kept as a warning on the row and counted in ops.runs. */
  WARN,
  /** Removed and counted as dropped in ops.runs (never silently). */
  DROP,
  /** The run fails after recording the evidence (bronze and quarantine). */
  FAIL;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Severity parse(String s) {
    for (Severity v : values()) {
      if (v.label().equalsIgnoreCase(s.trim())) {
        return v;
      }
    }
    return null;
  }
}
