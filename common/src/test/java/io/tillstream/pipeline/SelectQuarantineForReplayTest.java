package io.tillstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SparkTestSession;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SelectQuarantineForReplayTest {
  private final SparkSession spark = SparkTestSession.get();

  /** record_id, business_date, rule_ids, pii_key_id, resolved_by_run; r2 was quarantined twice. */
  private Dataset<Row> quarantine() {
    return spark.sql("SELECT record_id, 'f.jsonl' AS source_file, CAST(line AS BIGINT) AS source_line,"
        + " CAST(date AS DATE) AS business_date, split(rules, ',') AS rule_ids, '{}' AS raw_record,"
        + " key AS pii_key_id, resolved AS resolved_by_run FROM VALUES"
        + " ('r1', 1, NULL, 'unknown_store', 'k1', NULL),"
        + " ('r2', 2, '2025-03-05', 'missing_fx_rate', 'k1', NULL),"
        + " ('r2', 2, '2025-03-05', 'missing_fx_rate', 'k1', NULL),"
        + " ('r3', 3, '2025-03-09', 'missing_fx_rate,negative_amount', 'k1', NULL),"
        + " ('r4', 4, '2025-03-05', 'missing_fx_rate', 'k1', 'replay-1'),"
        + " ('r5', 5, '2025-03-05', 'missing_fx_rate', 'k0', NULL),"
        + " ('r6', 6, NULL, 'malformed_record', 'k1', NULL)"
        + " AS t(record_id, line, date, rules, key, resolved)");
  }

  private List<String> select(List<String> rules, String from, String to) {
    return SelectQuarantineForReplay.apply(quarantine(), rules, "k1", from == null ? null : LocalDate.parse(from),
            to == null ? null : LocalDate.parse(to))
        .orderBy("record_id").collectAsList().stream().map(r -> r.getString(0)).toList();
  }

  @Test
  void unresolvedRowsOfAnyGivenRuleWithTheCurrentKeyOncePerRecord() {
    assertEquals(List.of("r2", "r3"), select(List.of("missing_fx_rate"), null, null));
    assertEquals(List.of("r1", "r3"), select(List.of("unknown_store", "negative_amount"), null, null));
    assertEquals(List.of("r1", "r2", "r3", "r6"), select(List.of(), null, null));
  }

  @Test
  void aDateRangeTakesTheRowsDatedInItAndNoneWithoutADate() {
    assertEquals(List.of("r2"), select(List.of(), "2025-03-01", "2025-03-07"));
    assertEquals(List.of("r3"), select(List.of(), "2025-03-06", null));
    assertEquals(List.of("r2", "r3"), select(List.of(), null, "2025-03-09"));
    assertEquals(List.of(), select(List.of("unknown_store"), "2025-01-01", "2025-12-31"));
  }
}
