package io.tillstream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.lake.Table;
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
        + " ('d', 4, NULL, 'quarantine', 'malformed_record', 'invalid JSON'),"
        + " ('x', 5, '2025-03-05', 'accept', NULL, NULL)"
        + " AS t(record_id, line, date, disposition, rule, detail)");
  }

  /** The quarantine rows replayed: x is not one of them. */
  private Dataset<Row> replayed() {
    return spark.sql("SELECT record_id FROM VALUES ('a'), ('b'), ('c'), ('d') AS t(record_id)");
  }

  @Test
  void acceptedAndDuplicatesAreResolvedTheOthersCarryTheirNewReasonsUnderTheirOriginalRecordId() {
    List<String> rows = ResolveQuarantine.apply(classified(), replayed()).orderBy("record_id")
        .selectExpr("concat_ws('|', record_id, resolved, disposition, coalesce(string(business_date), '-'),"
            + " coalesce(array_join(rule_ids, ','), '-'), coalesce(reason, '-'), coalesce(severity, '-'))")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    assertEquals(List.of(
        "a|true|accept|2025-03-05|-|-|-",
        "b|true|duplicate|2025-03-05|-|-|-",
        "c|false|quarantine|2025-03-06|missing_fx_rate|missing_fx_rate: no USD rate|quarantine",
        "d|false|quarantine|-|malformed_record|malformed_record: invalid JSON|quarantine"), rows);
  }

  @Test
  void newQuarantineRowsAreUnresolved() {
    Row r = ResolveQuarantine.withUnresolved(spark.sql("SELECT 'x' AS record_id")).head();
    assertEquals("[x,null,null]", r.toString());
    assertEquals(Table.SILVER_QUARANTINE.schema().apply("resolved_at"), ResolveQuarantine.withUnresolved(
        spark.sql("SELECT 'x' AS record_id")).schema().fields()[2]);
  }
}
