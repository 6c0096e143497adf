package io.tillstream.dims;

import io.tillstream.config.ConfigError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The reference data a long-running job uses, with the files it came from, and the rule for replacing it when
 * the files change. {@link #refresh} reloads only a complete, valid set; otherwise the set in use stays and the
 * check says why:
 * <ol>
 *   <li>all three files exist, none is empty and each ends with a newline (its last line is whole);</li>
 *   <li>the files are unchanged for {@code settle}: the same modification time, length and SHA-256 before and after
 *       that wait and the load (so a writer that pauses, or three files renamed one after the other, are caught);</li>
 *   <li>they load ({@link Dimensions#load}: headers, quoting) and raise no warning the set in use did not raise
 *       (line numbers aside): no row newly ignored, no new duplicate key.</li>
 * </ol>
 * A set refused for rule 1 or 3 is remembered by its fingerprint and refused again at once, without waiting.
 */
public final class CurrentDimensions {
  /** Warning prefix of a change to the reference files that was not taken up. */
  public static final String NOT_RELOADED = "reference_data_not_reloaded";

  /** Reference data and the look at its files it was loaded between. */
  public record Loaded(Dimensions dims, DimensionFiles files) {
    /** For ops.runs.reference_data. */
    public String fingerprint() {
      return files.describe();
    }
  }

  /** What a check found: the set to use now, whether it was just reloaded, and warnings for the run. */
  public record Check(Loaded inUse, boolean reloaded, List<String> warnings) {}

  /** Waits between the two looks of a changed set; a test may act during the wait. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private static final int LOAD_ATTEMPTS = 3;

  private final Configuration hadoop;
  private final String dir;
  private final Duration settle;
  private final Sleeper sleeper;
  // Volatile: readers (the alert query) never wait for a refresh that is letting the files settle.
  private volatile Loaded inUse;
  private DimensionFiles refused;
  private String refusedBecause;

  private CurrentDimensions(Configuration hadoop, String dir, Duration settle, Sleeper sleeper, Loaded first) {
    this.hadoop = hadoop;
    this.dir = dir;
    this.settle = settle;
    this.sleeper = sleeper;
    this.inUse = first;
  }

  /**
   * Loads the reference data of {@code dir} once, between two equal looks at its files, so the fingerprint names
   * exactly the content loaded (files replaced meanwhile: tried again, then a {@link ConfigError}).
   */
  public static Loaded load(Configuration hadoop, String dir) {
    for (int attempt = 1; ; attempt++) {
      DimensionFiles before = DimensionFiles.look(hadoop, dir);
      Dimensions dims = Dimensions.load(hadoop, dir);
      if (DimensionFiles.look(hadoop, dir).equals(before)) {
        return new Loaded(dims, before);
      }
      if (attempt == LOAD_ATTEMPTS) {
        throw new ConfigError("the reference files in " + dir + " changed while being read, " + LOAD_ATTEMPTS
            + " times in a row; replace them by renaming complete files into place");
      }
    }
  }

  /** The first set as {@link #load} reads it (fails fast like the batch job); later sets come from refresh. */
  public static CurrentDimensions start(Configuration hadoop, String dir, Duration settle) {
    return start(hadoop, dir, settle, d -> Thread.sleep(d.toMillis()));
  }

  public static CurrentDimensions start(Configuration hadoop, String dir, Duration settle, Sleeper sleeper) {
    return new CurrentDimensions(hadoop, dir, settle, sleeper, load(hadoop, dir));
  }

  public Loaded inUse() {
    return inUse;
  }

  /** Looks at the files; when they changed, reloads them if they form a complete, valid set (see the class). */
  public synchronized Check refresh() {
    DimensionFiles look;
    try {
      look = DimensionFiles.look(hadoop, dir);
    } catch (ConfigError e) {
      return keep(e.getMessage());
    }
    if (look.equals(inUse.files())) {
      return new Check(inUse, false, List.of());
    }
    if (look.equals(refused)) {
      return keep(refusedBecause + " (unchanged since)");
    }
    List<String> incomplete = look.incomplete();
    if (!incomplete.isEmpty()) {
      return refuse(look, String.join("; ", incomplete));
    }
    try {
      sleeper.sleep(settle);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return keep("interrupted while waiting for the files to settle");
    }
    Dimensions candidate = null;
    String loadError = null;
    try {
      candidate = Dimensions.load(hadoop, dir);
    } catch (RuntimeException e) { // ConfigError: a missing column, an unterminated quote, a file gone
      loadError = e.getMessage();
    }
    DimensionFiles after;
    try {
      after = DimensionFiles.look(hadoop, dir);
    } catch (ConfigError e) {
      return keep(e.getMessage());
    }
    if (!after.equals(look)) {
      return keep("the files are still changing (" + changed(look, after) + " changed within " + settle.toMillis()
          + " ms)");
    }
    if (loadError != null) {
      return refuse(look, loadError);
    }
    List<String> fresh = newWarnings(inUse.dims().warnings(), candidate.warnings());
    if (!fresh.isEmpty()) {
      return refuse(look, fresh.size() + " new problem(s): " + String.join(" | ", fresh.subList(0,
          Math.min(3, fresh.size()))));
    }
    inUse = new Loaded(candidate, look);
    refused = null;
    refusedBecause = null;
    return new Check(inUse, true, List.of());
  }

  private Check refuse(DimensionFiles look, String because) {
    refused = look;
    refusedBecause = because;
    return keep(because);
  }

  private Check keep(String because) {
    return new Check(inUse, false, List.of(NOT_RELOADED + ": " + dir + ": " + because
        + "; the reference data loaded before stays in use"));
  }

  private static String changed(DimensionFiles a, DimensionFiles b) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < a.files().size(); i++) {
      if (!a.files().get(i).equals(b.files().get(i))) {
        names.add(a.files().get(i).name());
      }
    }
    return String.join(", ", names);
  }

  /** Warnings of {@code candidate} beyond those of {@code inUse}, compared without line numbers (a multiset). */
  static List<String> newWarnings(List<String> inUse, List<String> candidate) {
    Map<String, Integer> known = new HashMap<>();
    inUse.forEach(w -> known.merge(withoutLineNumbers(w), 1, Integer::sum));
    List<String> fresh = new ArrayList<>();
    for (String w : candidate) {
      String key = withoutLineNumbers(w);
      if (known.getOrDefault(key, 0) > 0) {
        known.merge(key, -1, Integer::sum);
      } else {
        fresh.add(w);
      }
    }
    return fresh;
  }

  private static String withoutLineNumbers(String warning) {
    return warning.replaceAll("\\.csv:\\d+", ".csv:#").replaceAll("of line \\d+", "of line #");
  }
}
