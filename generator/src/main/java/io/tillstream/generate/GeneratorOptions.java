package io.tillstream.generate;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Options of {@link SyntheticData#generate(GeneratorOptions)}.
 *
 * <p>Line accounting (all counts are exact, N = {@code events}):
 * <ul>
 *   <li>{@code events}: total number of JSONL lines written (valid originals + defective lines + duplicates).</li>
 *   <li>defective lines: {@code round(N * badRate)}, but at least {@code min(12, N)} when {@code badRate > 0} so that
 *       every one of the 12 {@link DefectRule}s occurs at least once (rules cycle in enum order).</li>
 *   <li>duplicate lines: {@code round(N * dupRate)} (clamped so that defects + duplicates never exceed N); of those,
 *       duplicate number k (0-based) is conflicting when {@code k % 10 == 0}, i.e. {@code ceil(dups / 10)}
 *       conflicting, the rest byte-identical.</li>
 *   <li>valid original events: N - defective - duplicates.</li>
 *   <li>late events: {@code min(round(valid * lateRate), eligible)} of the valid originals, where eligible are the
 *       valid originals whose stream position is already at least one local day past {@code startDate} in every
 *       store time zone (so with {@code days == 1} nothing can be late).</li>
 * </ul>
 *
 * @param out           output directory (created if missing)
 * @param events        total lines to write, {@code >= 0}
 * @param days          number of local business days covered, {@code >= 1}
 * @param seed          random seed; same options give byte-identical output
 * @param badRate       fraction of lines that are defective, in [0, 1]
 * @param dupRate       fraction of lines that are re-emissions of an earlier valid line, in [0, 1]
 * @param lateRate      fraction of valid originals emitted 1-5 days late, in [0, 1]
 * @param startDate     first local business day
 * @param eventsPerFile maximum lines per {@code events-NNNNN.jsonl} file, {@code >= 1}
 */
public record GeneratorOptions(Path out, long events, int days, long seed, double badRate, double dupRate,
    double lateRate, LocalDate startDate, int eventsPerFile) {

  /** A constant expression, so that the command line can show it as its default. */
  public static final String DEFAULT_START = "2025-03-01";
  public static final LocalDate DEFAULT_START_DATE = LocalDate.parse(DEFAULT_START);
  public static final int DEFAULT_EVENTS_PER_FILE = 250_000;

  public GeneratorOptions {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(startDate, "startDate");
    if (events < 0) {
      throw new IllegalArgumentException("events must be >= 0: " + events);
    }
    if (days < 1) {
      throw new IllegalArgumentException("days must be >= 1: " + days);
    }
    if (eventsPerFile < 1) {
      throw new IllegalArgumentException("eventsPerFile must be >= 1: " + eventsPerFile);
    }
    checkRate("badRate", badRate);
    checkRate("dupRate", dupRate);
    checkRate("lateRate", lateRate);
    if (badRate + dupRate > 1.0) {
      throw new IllegalArgumentException("badRate + dupRate must be <= 1: " + (badRate + dupRate));
    }
  }

  private static void checkRate(String name, double v) {
    if (!(v >= 0.0 && v <= 1.0)) {
      throw new IllegalArgumentException(name + " must be in [0, 1]: " + v);
    }
  }

  /** Defaults: rates 0, startDate 2025-03-01, eventsPerFile 250 000. */
  public static GeneratorOptions of(Path out, long events, int days, long seed) {
    return new GeneratorOptions(out, events, days, seed, 0.0, 0.0, 0.0, DEFAULT_START_DATE, DEFAULT_EVENTS_PER_FILE);
  }

  public GeneratorOptions withRates(double badRate, double dupRate, double lateRate) {
    return new GeneratorOptions(out, events, days, seed, badRate, dupRate, lateRate, startDate, eventsPerFile);
  }

  public GeneratorOptions withStartDate(LocalDate startDate) {
    return new GeneratorOptions(out, events, days, seed, badRate, dupRate, lateRate, startDate, eventsPerFile);
  }

  public GeneratorOptions withEventsPerFile(int eventsPerFile) {
    return new GeneratorOptions(out, events, days, seed, badRate, dupRate, lateRate, startDate, eventsPerFile);
  }

  public GeneratorOptions withOut(Path out) {
    return new GeneratorOptions(out, events, days, seed, badRate, dupRate, lateRate, startDate, eventsPerFile);
  }

  /** Number of defective lines this configuration produces. */
  public long defectiveLines() {
    if (badRate <= 0.0 || events == 0) {
      return 0;
    }
    return Math.min(events, Math.max(Math.round(events * badRate), Math.min(DefectRule.values().length, events)));
  }

  /** Number of duplicate lines this configuration produces. */
  public long duplicateLines() {
    return Math.max(0, Math.min(Math.round(events * dupRate), events - defectiveLines()));
  }

  /** Number of valid original events this configuration produces. */
  public long validLines() {
    return events - defectiveLines() - duplicateLines();
  }
}
