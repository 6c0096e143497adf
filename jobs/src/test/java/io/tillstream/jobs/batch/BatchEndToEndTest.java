package io.tillstream.jobs.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tillstream.jobs.Main;
import io.tillstream.jobs.testing.SamplesLake;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SparkTestSession;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch command on the bundled samples, end to end: hand-checked gold figures, quarantine per rule,
 * reconciliation, an idempotent rerun, an incremental run with late events and duplicates, and no PII anywhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BatchEndToEndTest {
  static final Path SAMPLES = Paths.get("..", "data-samples").toAbsolutePath().normalize();
  /** The key of the shared samples lake, which the first test starts from: the later runs must tokenize alike. */
  static final Map<String, String> ENV = SamplesLake.ENV;

  @TempDir
  static Path work;

  private final SparkSession spark = SparkTestSession.get();

  private static String lake() {
    return work.resolve("lake").toString();
  }

  static int run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(args, ENV, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    System.out.println(out.toString(StandardCharsets.UTF_8));
    return code;
  }

  private Dataset<Row> table(Table t) {
    return new Lake(spark, lake()).read(t);
  }

  private Row lastRun() {
    return table(Table.OPS_RUNS).orderBy(org.apache.spark.sql.functions.col("started_at").desc()).head();
  }

  private List<String> dailyRowsOfHandcraftedStores() {
    return table(Table.GOLD_DAILY_SALES).filter("store_id IN ('NL-AMS-01', 'US-BOS-01')")
        .orderBy("business_date", "store_id", "category").collectAsList().stream().map(Row::toString).toList();
  }

  /** read, accepted, quarantined and duplicates of a row of ops.runs. */
  static void assertCounts(Row run, long read, long accepted, long quarantined, long duplicates) {
    assertEquals(List.of(read, accepted, quarantined, duplicates), List.of((long) run.getAs("read"),
        (long) run.getAs("accepted"), (long) run.getAs("quarantined"), (long) run.getAs("duplicates")));
  }

  private static final List<String> FIRST_RUN_DAILY = List.of(
      // 3 March, Amsterdam: hc-e-001 (2 x 10.00 - 1.00 grocery, 5.50 apparel) and hc-e-002 (10.00) at 23:30 local.
      "[2025-03-03,NL-AMS-01,apparel,1,1,5.50,0.00,5.50,0.00,5.50,1]",
      "[2025-03-03,NL-AMS-01,grocery,2,3,30.00,1.00,29.00,0.00,29.00,2]",
      // 00:15 local on 4 March is still 3 March in UTC: the business date is the store's.
      "[2025-03-04,NL-AMS-01,grocery,1,3,30.00,3.00,27.00,10.00,17.00,1]",
      // SKU-00042 is listed twice in products.csv: the last row (home) wins.
      "[2025-03-05,NL-AMS-01,home,1,1,12.00,0.00,12.00,0.00,12.00,1]",
      // Saturday 8 March in Boston: USD at Friday's rate 0.914940; 50 -> 45.747, 5 -> 4.5747, 45 -> 41.1723.
      "[2025-03-08,US-BOS-01,home,1,2,45.75,4.57,41.17,0.00,41.17,1]",
      // An unknown sku keeps its revenue under category unknown; no customer on the event.
      "[2025-03-10,US-BOS-01,unknown,1,1,3.67,0.00,3.67,0.00,3.67,0]");

  @Test
  @Order(1)
  void firstRunOnTheSamplesReconcilesAndGivesTheHandCheckedFigures() {
    // batch --input data-samples/events --dims data-samples/dims: made once per test JVM, a copy of it here.
    System.out.println(SamplesLake.copyTo(work.resolve("lake")));
    Row r = lastRun();
    assertEquals("SUCCEEDED", r.getAs("status"));
    assertCounts(r, 310, 283, 17, 10);
    assertEquals(0L, (long) r.getAs("dropped"));
    assertEquals(true, r.getAs("reconciled"));
    assertEquals(FIRST_RUN_DAILY, dailyRowsOfHandcraftedStores());

    Map<String, Long> perRule = new TreeMap<>();
    for (Row q : table(Table.SILVER_QUARANTINE).selectExpr("explode(rule_ids)").groupBy("col").count().collectAsList()) {
      perRule.put(q.getString(0), q.getLong(1));
    }
    assertEquals(new TreeMap<>(Map.ofEntries(Map.entry("duplicate_conflict", 2L), Map.entry("empty_items", 1L),
        Map.entry("event_time_in_future", 1L), Map.entry("invalid_event_type", 1L),
        Map.entry("invalid_timestamp", 1L), Map.entry("malformed_record", 2L), Map.entry("missing_fx_rate", 1L),
        Map.entry("missing_required_field", 2L), Map.entry("negative_amount", 1L),
        Map.entry("non_positive_quantity", 1L), Map.entry("schema_violation", 2L),
        Map.entry("unknown_currency", 1L), Map.entry("unknown_store", 1L))), perRule);
    assertEquals(17L, table(Table.SILVER_QUARANTINE).count());
    assertEquals(310L, table(Table.BRONZE_SALES_EVENTS).count());
    assertEquals(Map.of("unknown_sku", 7L), scala.jdk.javaapi.CollectionConverters.asJava(
        (scala.collection.Map<String, Long>) r.getAs("warnings")));
    Row conflict = table(Table.SILVER_QUARANTINE).filter("event_id = 'hc-e-002'").head();
    assertTrue(((String) conflict.getAs("source_file")).endsWith("handcrafted.jsonl"));
    assertEquals(8L, (long) conflict.getAs("source_line"));
    assertEquals("duplicate_conflict: event_id hc-e-002 is accepted from " + conflict.getAs("source_file")
        + ":2 with different content", conflict.getAs("reason"));
    String root = new Lake(spark, lake()).root();
    for (Table t : Table.values()) {
      Row detail = spark.sql("DESCRIBE DETAIL delta.`" + t.path(root) + "`").head();
      assertEquals(List.of(), detail.getList(detail.fieldIndex("partitionColumns")), t.qualifiedName());
      assertEquals(List.of(t.dateColumn()), detail.getList(detail.fieldIndex("clusteringColumns")),
          t.qualifiedName());
      // Every table was created with its schema of record: these columns, types and order.
      assertEquals(t.schema().simpleString(), table(t).schema().simpleString(), t.qualifiedName());
    }
    assertEquals(Set.of("large_order", "card_velocity", "multi_store_card"), new TreeSet<>(table(
        Table.GOLD_SUSPICIOUS_TRANSACTIONS).select("rule_id").distinct().collectAsList().stream()
        .map(x -> x.getString(0)).toList()));
  }

  @Test
  @Order(2)
  void rerunningTheSameCommandChangesNoTableContent() {
    Map<Table, List<String>> before = snapshot();
    assertEquals(0, run("batch", "--input", SAMPLES.resolve("events").toString(), "--dims",
        SAMPLES.resolve("dims").toString(), "--lake", lake()));
    Row r = lastRun();
    assertCounts(r, 310, 0, 17, 293);
    assertEquals(before, snapshot());
  }

  @Test
  @Order(3)
  void incrementalRunAddsLateEventsAndCatchesDuplicatesAcrossRuns() {
    assertEquals(0, run("batch", "--input", SAMPLES.resolve("incremental").toString(), "--dims",
        SAMPLES.resolve("dims").toString(), "--lake", lake()));
    Row r = lastRun();
    assertCounts(r, 5, 2, 1, 2);
    List<String> expected = new ArrayList<>(FIRST_RUN_DAILY);
    // The late sale hc-e-011 (10.00, new customer HC4) corrects 3 March.
    expected.set(1, "[2025-03-03,NL-AMS-01,grocery,3,4,40.00,1.00,39.00,0.00,39.00,3]");
    // A refund alone on Sunday 9 March (Friday's rate, 2 days old): the group has its row with zero sales.
    expected.add(5, "[2025-03-09,US-BOS-01,home,0,0,0.00,0.00,0.00,22.87,-22.87,0]");
    assertEquals(expected, dailyRowsOfHandcraftedStores());
    Row conflict = table(Table.SILVER_QUARANTINE).filter("event_id = 'hc-e-005'").head();
    assertEquals("duplicate_conflict: event_id hc-e-005 was accepted earlier with different content",
        conflict.getAs("reason"));
    assertEquals(3L, (long) conflict.getAs("source_line"));
    assertEquals(3L, table(Table.OPS_RUNS).count());
  }

  @Test
  @Order(4)
  void noPersonalDataFromTheSamplesReachesAnyTableOrTheDeltaLog() throws IOException {
    Set<String> pii = personalDataIn(SAMPLES);
    assertTrue(pii.size() > 500, "the samples carry e-mails, phones and cards: " + pii.size());
    for (Table t : Table.values()) {
      for (Row row : table(t).selectExpr("to_json(struct(*))").collectAsList()) {
        String json = row.getString(0);
        for (String value : pii) {
          assertFalse(json.contains(value), t.qualifiedName() + " contains " + value);
        }
      }
    }
    try (Stream<Path> files = Files.walk(work.resolve("lake"))) {
      for (Path f : files.filter(p -> p.toString().contains("_delta_log") && p.toString().endsWith(".json")).toList()) {
        String text = Files.readString(f);
        for (String value : pii) {
          assertFalse(text.contains(value), f + " contains " + value);
        }
      }
    }
    assertTrue(table(Table.SILVER_SALES_LINES).filter("customer_token IS NOT NULL AND customer_token NOT RLIKE"
        + " '^[0-9a-f]{32}$'").isEmpty());
  }

  @Test
  @Order(5)
  void sqlPrintsCsvOverThePublicTableNames() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"sql", "--lake", lake(), "SELECT business_date, category, net_after_refunds,"
        + " 'a,b' AS quoted FROM gold.daily_sales WHERE store_id = 'US-BOS-01' ORDER BY business_date"}, ENV,
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, code);
    assertEquals("business_date,category,net_after_refunds,quoted\n"
        + "2025-03-08,home,41.17,\"a,b\"\n2025-03-09,home,-22.87,\"a,b\"\n2025-03-10,unknown,3.67,\"a,b\"\n",
        out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
  }

  /** Every e-mail, phone, card number and customer id written in the sample files (also in broken lines). */
  static Set<String> personalDataIn(Path samples) throws IOException {
    Set<String> values = new TreeSet<>();
    Pattern field = Pattern.compile("\"(email|phone|card_number|customer_id)\"\\s*:\\s*\"([^\"]+)\"");
    ObjectMapper mapper = new ObjectMapper();
    try (Stream<Path> files = Files.walk(samples.resolve("events"));
        Stream<Path> more = Files.walk(samples.resolve("incremental"))) {
      for (Path f : Stream.concat(files, more).filter(Files::isRegularFile).toList()) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(f.toString().endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(f)) : Files.newInputStream(f), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            Matcher m = field.matcher(line);
            while (m.find()) {
              values.add(m.group(2));
            }
            try {
              JsonNode n = mapper.readTree(line);
              JsonNode card = n == null ? null : n.path("payment").path("card_number");
              if (card != null && card.isNumber()) {
                values.add(card.asText());
              }
            } catch (IOException ignored) {
              // broken lines are covered by the regex above
            }
          }
        }
      }
    }
    values.removeIf(v -> v.length() < 4);
    return values;
  }

  private Map<Table, List<String>> snapshot() {
    Map<Table, List<String>> m = new TreeMap<>();
    for (Table t : List.of(Table.BRONZE_SALES_EVENTS, Table.SILVER_SALES_LINES, Table.SILVER_QUARANTINE,
        Table.GOLD_DAILY_SALES, Table.GOLD_MONTHLY_SALES, Table.GOLD_PRODUCT_TRENDS, Table.GOLD_CUSTOMER_VALUE,
        Table.GOLD_SUSPICIOUS_TRANSACTIONS)) {
      m.put(t, table(t).selectExpr("to_json(struct(*))").collectAsList().stream().map(x -> x.getString(0))
          .sorted().toList());
    }
    return m;
  }
}
