package io.tillstream.generate;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link SyntheticData#generate(GeneratorOptions)} wrote.
 *
 * @param linesWritten          total JSONL lines = validEvents + exactDuplicates + conflictingDuplicates + sum(defectsByRule)
 * @param validEvents           valid original events (first occurrence of their event_id), including refunds and late ones
 * @param exactDuplicates       lines byte-identical to an earlier valid line
 * @param conflictingDuplicates lines with the event_id of an earlier valid line but different content
 * @param defectsByRule         defective lines per rule id, all 12 {@link DefectRule} ids in enum order (zeros included)
 * @param unknownSkuLines       item entries, within valid original events, whose sku is not in products.csv
 * @param lateEvents            valid original events emitted 1-5 days after their event_time
 * @param files                 the event files written, in order (absolute paths)
 */
public record GeneratorReport(long linesWritten, long validEvents, long exactDuplicates, long conflictingDuplicates,
    Map<String, Long> defectsByRule, long unknownSkuLines, long lateEvents, List<Path> files) {

  public GeneratorReport {
    defectsByRule = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(defectsByRule));
    files = List.copyOf(files);
  }

  /** Sum of all defective lines. */
  public long defectiveLines() {
    return defectsByRule.values().stream().mapToLong(Long::longValue).sum();
  }
}
