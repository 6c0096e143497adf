package io.tillstream.jobs.cli;

import java.time.LocalDate;
import picocli.CommandLine.Option;

/** --from and --to: a range of business dates, either end open. */
public final class DateRange {
  @Option(names = "--from", paramLabel = "DATE", description = "first business date (YYYY-MM-DD)")
  LocalDate from;

  @Option(names = "--to", paramLabel = "DATE", description = "last business date (YYYY-MM-DD)")
  LocalDate to;

  public LocalDate from() {
    checkOrder(from, to);
    return from;
  }

  public LocalDate to() {
    checkOrder(from, to);
    return to;
  }

  /** A range ends no earlier than it starts. */
  public static void checkOrder(LocalDate from, LocalDate to) {
    if (from != null && to != null && from.isAfter(to)) {
      throw new UsageError("--from " + from + " is after --to " + to);
    }
  }
}
