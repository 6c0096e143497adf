package io.tillstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SparkTestSession;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class ResolveQuarantineTest {
  private final SparkSession spark = SparkTestSession.get();

  /** Classified replayed records: record_id (as re-parsed), source line, disposition, business date, violations. */
  private Dataset<Row> classified() {
    return spark.sql("SELECT record_id, 'f.jsonl' AS source_file, CAST(line AS BIGINT) AS source_line,"
        + " 'e' AS event_id, CAST(date AS DATE) AS business_date, disposition, '{}' AS raw_record, 'k1' AS pii_key_id,"
        + " CAST(CASE WHEN rule IS NULL THEN array() ELSE array(named_struct('rule', rule, 'detail', detail)) END"
        + " AS ARRAY<STRUCT<rule: STRING, detail: STRING>>) AS violations FROM VALUES"
        + " ('a', 1, '2025-03-05', 'accept', NULL, NULL),"
        + " ('b', 2, '2025-03-05', 'duplicate', NULL, NULL),"
        + " ('c', 3, '2025-03-06', 'quarantine', 'missing_fx_rate', 'no USD rate'),"
        + " ('d-reparsed', 4, NULL, 'quarantine', 'malformed_record', 'invalid JSON'),"
        + " ('e-reparsed', 5, NULL, 'quarantine', 'malformed_record', 'invalid JSON'),"
        + " ('f', 5, NULL, 'quarantine', 'malformed_record', 'invalid JSON')"
        + " AS t(record_id, line, date, disposition, rule, detail)");
  }

  /** The quarantine rows replayed: lines 4 and 5 re-parse to another id; line 5 holds two records. */
  private Dataset<Row> replayed() {
    return spark.sql("SELECT record_id, 'f.jsonl' AS source_file, CAST(line AS BIGINT) AS source_line FROM VALUES"
        + " ('a', 1), ('b', 2), ('c', 3), ('d', 4), ('e', 5), ('f', 5) AS t(record_id, line)");
  }

  @Test
  void acceptedAndDuplicatesAreResolvedTheOthersCarryTheirNewReasonsUnderTheirOriginalRecordId() {
    List<String> rows = ResolveQuarantine.apply(classified(), replayed()).orderBy("record_id")
        .selectExpr("concat_ws('|', record_id, resolved, disposition, coalesce(string(business_date), '-'),"
            + " coalesce(array_join(rule_ids, ','), '-'), coalesce(reason, '-'), coalesce(severity, '-'),"
            + " matched_by_position)")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    assertEquals(List.of(
        "a|true|accept|2025-03-05|-|-|-|false",
        "b|true|duplicate|2025-03-05|-|-|-|false",
        "c|false|quarantine|2025-03-06|missing_fx_rate|missing_fx_rate: no USD rate|quarantine|false",
        // Re-parsed to another id, found by its source position.
        "d|false|quarantine|-|malformed_record|malformed_record: invalid JSON|quarantine|true",
        // Line 5 holds two records: only the one whose id is unchanged can be matched.
        "f|false|quarantine|-|malformed_record|malformed_record: invalid JSON|quarantine|false"), rows);
  }

  @Test
  void newQuarantineRowsAreUnresolved() {
    Row r = ResolveQuarantine.withUnresolved(spark.sql("SELECT 'x' AS record_id")).head();
    assertEquals("[x,null,null]", r.toString());
    assertEquals(ResolveQuarantine.COLUMNS.fields()[1], ResolveQuarantine.withUnresolved(
        spark.sql("SELECT 'x' AS record_id")).schema().fields()[2]);
  }
}
