package io.tillstream.run;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/** What one ingest (a batch run or a micro-batch) read, decided and wrote. */
public record IngestResult(
    long read,
    long accepted,
    long quarantined,
    long duplicates,
    long dropped,
    long outOfRange,
    long acceptedLines,
    Map<String, Long> rejectedByRule,
    Map<String, Long> warnings,
    SortedSet<LocalDate> touchedDates,
    Map<String, Long> tableVersions,
    List<String> failures,
    Map<String, Span> sources) {

  /** Records read from one source (file or Kafka topic partition), and its first and last line or offset. */
  public record Span(long records, long first, long last) {}

  /** read = accepted + quarantined + duplicates + dropped + out_of_range. */
  public boolean reconciles() {
    return read == accepted + quarantined + duplicates + dropped + outOfRange;
  }

  public String reconciliation() {
    return String.format("read %d = accepted %d + quarantined %d + duplicates %d + dropped %d + out_of_range %d"
            + " -> %s", read, accepted, quarantined, duplicates, dropped, outOfRange,
        reconciles() ? "reconciled" : "NOT RECONCILED (difference " + (read - accepted - quarantined - duplicates
            - dropped - outOfRange) + ")");
  }
}
