package io.tillstream.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.Main;
import io.tillstream.jobs.testing.SamplesLake;
import io.tillstream.lake.Lake;
import io.tillstream.lake.LakeComparison;
import io.tillstream.lake.Table;
import io.tillstream.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * replay-quarantine end to end on the bundled samples: a batch run with reference data missing the store
 * US-CHI-01 and every USD rate, then replays as the reference data is fixed, compared with a batch run made with
 * the fixed reference data from the start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplayCommandTest {
  static final Path SAMPLES = Paths.get("..", "data-samples").toAbsolutePath().normalize();
  /** The key of the shared samples lake, the fresh run compared with below: the tokens must be alike. */
  static final Map<String, String> ENV = SamplesLake.ENV;

  @TempDir
  static Path work;

  private final SparkSession spark = SparkTestSession.get();

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, ENV, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    System.out.println(r.out());
    return r;
  }

  /** The samples' reference data without US-CHI-01 (if {@code dropStore}) and without any USD rate. */
  static String dims(String name, boolean dropStore) throws IOException {
    Path dir = work.resolve(name);
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Path src = SAMPLES.resolve("dims");
      Files.copy(src.resolve("products.csv"), dir.resolve("products.csv"));
      Files.write(dir.resolve("stores.csv"), Files.readAllLines(src.resolve("stores.csv")).stream()
          .filter(l -> !(dropStore && l.startsWith("US-CHI-01,"))).toList());
      Files.write(dir.resolve("fx_rates.csv"), Files.readAllLines(src.resolve("fx_rates.csv")).stream()
          .filter(l -> !l.contains(",USD,")).toList());
    }
    return dir.toString();
  }

  static String lake() {
    return work.resolve("lake").toString();
  }

  static String freshLake() {
    return work.resolve("fresh").toString();
  }

  private Lake lake(String root) {
    return new Lake(spark, root);
  }

  private Dataset<Row> quarantine() {
    return lake(lake()).read(Table.SILVER_QUARANTINE);
  }

  private Row lastRun() {
    return lake(lake()).read(Table.OPS_RUNS).orderBy(org.apache.spark.sql.functions.col("started_at").desc()).head();
  }

  /** rule id -> quarantine rows carrying it, of the rows still quarantined. */
  private Map<String, Long> stillQuarantinedByRule() {
    Map<String, Long> m = new TreeMap<>();
    quarantine().filter("resolved_by_run IS NULL").selectExpr("explode(rule_ids)").groupBy("col").count()
        .collectAsList().forEach(r -> m.put(r.getString(0), r.getLong(1)));
    return m;
  }

  /** Every row of the tables, as sorted JSON. */
  private Map<Table, List<String>> snapshot(String root, List<Table> tables) {
    Map<Table, List<String>> m = new TreeMap<>();
    for (Table t : tables) {
      m.put(t, lake(root).read(t).selectExpr("to_json(struct(*))").collectAsList().stream().map(x -> x.getString(0))
          .sorted().toList());
    }
    return m;
  }

  private static final List<Table> CONTENT = List.of(Table.BRONZE_SALES_EVENTS, Table.SILVER_SALES_LINES,
      Table.SILVER_QUARANTINE, Table.GOLD_DAILY_SALES, Table.GOLD_MONTHLY_SALES, Table.GOLD_PRODUCT_TRENDS,
      Table.GOLD_CUSTOMER_VALUE, Table.GOLD_SUSPICIOUS_TRANSACTIONS);

  static void assertCounts(Row run, long read, long accepted, long quarantined, long duplicates) {
    BatchEndToEndTest.assertCounts(run, read, accepted, quarantined, duplicates);
  }

  @Test
  @Order(1)
  void usageErrorsExitTwoBeforeAnythingRuns() {
    Result r = run("replay-quarantine", "--rule", "unknown_shop", "--lake", lake());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--rule 'unknown_shop' is not a rule that quarantines records; known rules: "
        + "malformed_record, schema_violation, missing_required_field, invalid_timestamp, invalid_event_type, "
        + "empty_items, non_positive_quantity, negative_amount, unknown_store, unknown_currency, missing_fx_rate, "
        + "event_time_in_future, duplicate_conflict"), r.err());
    assertTrue(r.err().contains("usage: tillstream replay-quarantine"), r.err());
    assertEquals(2, run("replay-quarantine", "--rule", "unknown_sku").code());
    Result range = run("replay-quarantine", "--from", "2025-03-10", "--to", "2025-03-01");
    assertEquals(2, range.code());
    assertTrue(range.err().contains("--from 2025-03-10 is after --to 2025-03-01"), range.err());
    Result noLake = run("replay-quarantine", "--lake", work.resolve("nothing-here").toString());
    assertEquals(2, noLake.code());
    assertTrue(noLake.err().contains("no silver.quarantine under "), noLake.err());
  }

  @Test
  @Order(2)
  void batchWithoutTheStoreAndTheUsdRatesQuarantinesTheirRecords() throws IOException {
    Result r = run("batch", "--input", SAMPLES.resolve("events").toString(), "--dims", dims("dims-broken", true),
        "--lake", lake());
    assertEquals(0, r.code(), r.err());
    // Besides the samples' own defects: Chicago's 32 events (unknown_store, no business date) and the 82 dated USD
    // events of New York, San Francisco and Boston (missing_fx_rate, as the CHF one), 3 of them already among the
    // 17 defective records. 2 copies of Chicago or USD events are no longer duplicates but quarantined.
    assertCounts(lastRun(), 310, 174, 128, 8);
    Map<String, Long> expected = new TreeMap<>(Map.ofEntries(Map.entry("duplicate_conflict", 2L),
        Map.entry("empty_items", 1L), Map.entry("event_time_in_future", 1L), Map.entry("invalid_event_type", 1L),
        Map.entry("invalid_timestamp", 1L), Map.entry("malformed_record", 2L), Map.entry("missing_fx_rate", 83L),
        Map.entry("missing_required_field", 2L), Map.entry("negative_amount", 1L),
        Map.entry("non_positive_quantity", 1L), Map.entry("schema_violation", 2L),
        Map.entry("unknown_currency", 1L), Map.entry("unknown_store", 33L)));
    assertEquals(expected, stillQuarantinedByRule());
    // The fresh run with the fixed reference data: batch over the samples, made once per test JVM, copied here.
    SamplesLake.copyTo(Paths.get(freshLake()));
    assertEquals(17L, lake(freshLake()).read(Table.SILVER_QUARANTINE).count());
  }

  @Test
  @Order(3)
  void replayWithTheStoreBackButNoUsdRatesKeepsChicagoQuarantinedWithItsNewReason() throws IOException {
    Map<Table, List<String>> before = snapshot(lake(), List.of(Table.BRONZE_SALES_EVENTS, Table.SILVER_SALES_LINES));
    Map<String, String> otherRules = rowsWithout("unknown_store");
    Result r = run("replay-quarantine", "--rule", "unknown_store", "--dims", dims("dims-no-usd", false),
        "--lake", lake());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("replayed 33 = accepted 0 + still quarantined 33 + duplicates 0 + dropped 0"
        + " -> reconciled"), r.out());
    Row run = lastRun();
    assertEquals(List.of("replay", "SUCCEEDED", "silver.quarantine, rules: unknown_store"),
        List.of(run.getAs("job"), run.getAs("status"), run.getAs("input")));
    assertCounts(run, 33, 0, 33, 0);
    // The reference data it used: the three files, each with its time, size and hash.
    assertTrue(String.valueOf((Object) run.getAs("reference_data")).matches(
        "stores\\.csv@\\S+ \\d+B sha256:[0-9a-f]{12}; products\\.csv@.*; fx_rates\\.csv@.*"),
        String.valueOf((Object) run.getAs("reference_data")));
    // Two of Chicago's records also have a schema defect, which their new reasons keep naming.
    assertEquals(Map.of("missing_fx_rate", 32L, "missing_required_field", 1L, "schema_violation", 1L,
        "unknown_store", 1L), scala.jdk.javaapi.CollectionConverters.asJava(
        (scala.collection.Map<String, Long>) run.getAs("rejected_by_rule")));
    // Chicago's records now have a business date and fail for the missing USD rate; ZZ-NOWHERE-99 is unknown still.
    Dataset<Row> chicago = quarantine().filter("get_json_object(raw_record, '$.store_id') = 'US-CHI-01'");
    assertEquals(32L, chicago.count());
    assertEquals(30L, chicago.filter("rule_ids = array('missing_fx_rate')").count());
    assertEquals(32L, chicago.filter("array_contains(rule_ids, 'missing_fx_rate') AND business_date IS NOT NULL"
        + " AND reason LIKE '%missing_fx_rate: no USD rate on 2025-03-%' AND severity = 'quarantine'"
        + " AND resolved_by_run IS NULL").count());
    assertEquals(1L, quarantine().filter("array_contains(rule_ids, 'unknown_store')").count());
    assertEquals(0L, quarantine().filter("resolved_by_run IS NOT NULL OR resolved_at IS NOT NULL").count());
    assertEquals(128L, quarantine().count());
    assertEquals(95, otherRules.size());
    assertEquals(otherRules, rowsOf(otherRules.keySet()));
    assertEquals(before, snapshot(lake(), List.of(Table.BRONZE_SALES_EVENTS, Table.SILVER_SALES_LINES)));
  }

  @Test
  @Order(4)
  void replayWithTheFixedReferenceDataGivesTheLakeOfAFreshRun() {
    Map<Table, List<String>> bronze = snapshot(lake(), List.of(Table.BRONZE_SALES_EVENTS));
    Map<String, String> otherRules = rowsWithout("missing_fx_rate");
    Result r = run("replay-quarantine", "--rule", "missing_fx_rate", "--dims", SAMPLES.resolve("dims").toString(),
        "--lake", lake());
    assertEquals(0, r.code(), r.err());
    // 32 Chicago + 82 USD + the CHF record; the copies of e-000000020 and e-000000105 are duplicates again; the 3
    // with other defects as well stay quarantined for those, and so does CHF (no rate at all).
    assertTrue(r.out().contains("replayed 115 = accepted 109 + still quarantined 4 + duplicates 2 + dropped 0"
        + " -> reconciled"), r.out());
    Row run = lastRun();
    String runId = run.getAs("run_id");
    assertCounts(run, 115, 109, 4, 2);
    assertEquals(true, run.getAs("reconciled"));

    List<LakeComparison.TableDiff> diffs = LakeComparison.compare(lake(lake()), lake(freshLake()), 5);
    assertTrue(diffs.stream().allMatch(LakeComparison.TableDiff::equal),
        LakeComparison.report(diffs, "replayed", "fresh"));
    // The tokens were kept, not tokenized again: the same customer and card tokens as the fresh run.
    String tokens = "SELECT event_id, line_no, customer_token, card_token, card_last4, pii_key_id FROM delta.`%s`"
        + " WHERE store_id LIKE 'US-%%' ORDER BY event_id, line_no";
    List<Row> replayedTokens = spark.sql(String.format(tokens, Table.SILVER_SALES_LINES.path(lake(lake()).root())))
        .collectAsList();
    assertEquals(spark.sql(String.format(tokens, Table.SILVER_SALES_LINES.path(lake(freshLake()).root())))
        .collectAsList(), replayedTokens);
    assertTrue(replayedTokens.stream().filter(t -> !t.isNullAt(2)).count() > 100);
    assertTrue(replayedTokens.stream().allMatch(t -> t.isNullAt(2) || t.getString(2).matches("[0-9a-f]{32}")));

    // Exactly the accepted and duplicate records are resolved, by this run, at its start.
    Dataset<Row> resolved = quarantine().filter("resolved_by_run IS NOT NULL");
    assertEquals(111L, resolved.count());
    assertEquals(111L, resolved.filter(org.apache.spark.sql.functions.col("resolved_by_run").equalTo(runId)
        .and(org.apache.spark.sql.functions.col("resolved_at").equalTo(run.getAs("started_at")))).count());
    assertTrue(resolved.select("event_id").except(lake(lake()).read(Table.SILVER_SALES_LINES).select("event_id"))
        .isEmpty());
    List<Row> unresolvedFx = quarantine().filter("resolved_by_run IS NULL AND array_contains(rule_ids,"
        + " 'missing_fx_rate')").collectAsList();
    assertEquals(1, unresolvedFx.size());
    Row chf = unresolvedFx.get(0);
    assertTrue(((String) chf.getAs("reason")).startsWith("missing_fx_rate: no CHF rate on "), chf.toString());
    assertEquals(128L, quarantine().count());
    assertEquals(13, otherRules.size());
    assertEquals(otherRules, rowsOf(otherRules.keySet()));
    assertEquals(bronze, snapshot(lake(), List.of(Table.BRONZE_SALES_EVENTS)));
  }

  @Test
  @Order(5)
  void theSameReplayAgainChangesNothing() {
    Map<Table, List<String>> before = snapshot(lake(), CONTENT);
    Result r = run("replay-quarantine", "--rule", "missing_fx_rate", "--dims", SAMPLES.resolve("dims").toString(),
        "--lake", lake());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("replayed 1 = accepted 0 + still quarantined 1 + duplicates 0 + dropped 0"
        + " -> reconciled"), r.out());
    assertCounts(lastRun(), 1, 0, 1, 0);
    assertEquals(before, snapshot(lake(), CONTENT));
  }

  @Test
  @Order(6)
  void replayingEveryRuleKeepsEachRemainingRecordQuarantined() {
    Result r = run("replay-quarantine", "--dims", SAMPLES.resolve("dims").toString(), "--lake", lake());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("replayed 17 = accepted 0 + still quarantined 17 + duplicates 0 + dropped 0"
        + " -> reconciled"), r.out());
    // Every record re-parses to its own record_id, the unparseable line too: no new bronze or quarantine row.
    assertFalse(r.out().contains("re-parse to another record_id"), r.out());
    assertEquals(128L, quarantine().count());
    assertEquals(310L, lake(lake()).read(Table.BRONZE_SALES_EVENTS).count());
    assertEquals(17L, quarantine().filter("resolved_by_run IS NULL").count());
    List<LakeComparison.TableDiff> diffs = LakeComparison.compare(lake(lake()), lake(freshLake()), 5);
    assertTrue(diffs.stream().allMatch(LakeComparison.TableDiff::equal),
        LakeComparison.report(diffs, "replayed", "fresh"));
  }

  @Test
  @Order(7)
  void aQuarantineWrittenBeforeReplayExistedGainsTheColumns() throws IOException {
    String old = work.resolve("old").toString();
    Lake oldLake = lake(old);
    lake(freshLake()).read(Table.SILVER_QUARANTINE).drop("resolved_by_run", "resolved_at").write().format("delta")
        .mode(SaveMode.Overwrite).partitionBy("business_date").save(Table.SILVER_QUARANTINE.path(oldLake.root()));
    Path input = work.resolve("one-event.jsonl");
    Files.writeString(input, Files.readAllLines(SAMPLES.resolve("events").resolve("generated.jsonl")).stream()
        .filter(l -> l.contains("ZZ-NOWHERE-99")).findFirst().orElseThrow().replace("\"event_id\":\"",
            "\"event_id\":\"again-") + "\n");
    assertEquals(0, run("batch", "--input", input.toString(), "--dims", SAMPLES.resolve("dims").toString(), "--lake",
        old).code());
    Dataset<Row> q = oldLake.read(Table.SILVER_QUARANTINE);
    assertEquals(18L, q.count());
    assertEquals(18L, q.filter("resolved_by_run IS NULL AND resolved_at IS NULL").count());
    assertEquals("string", q.schema().apply("resolved_by_run").dataType().simpleString());
    assertEquals("timestamp", q.schema().apply("resolved_at").dataType().simpleString());
  }

  /** record_id -> the quarantine row (every column) of the rows not carrying {@code rule}. */
  private Map<String, String> rowsWithout(String rule) {
    return json(quarantine().filter("NOT array_contains(rule_ids, '" + rule + "')"));
  }

  private Map<String, String> rowsOf(java.util.Set<String> recordIds) {
    return json(quarantine().filter(org.apache.spark.sql.functions.col("record_id").isin(recordIds.toArray())));
  }

  private static Map<String, String> json(Dataset<Row> rows) {
    Map<String, String> m = new TreeMap<>();
    rows.selectExpr("record_id", "to_json(struct(*))").collectAsList().forEach(r -> m.put(r.getString(0),
        r.getString(1)));
    return m;
  }
}
