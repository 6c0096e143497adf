package io.tillstream.jobs.report;

import static org.apache.spark.sql.functions.asc;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the report shows, computed from the lake's tables with Spark: headline figures and one {@link Section} (a
 * small table of plain values) per chart or table. Each section is a static {@code Dataset -> Dataset} function over
 * one table; a table missing from the lake reads as an empty table of its declared schema, so its sections are empty.
 * Amounts stay exact: sums of DECIMAL(18,2) are DECIMAL with scale 2 and are kept as {@link BigDecimal}.
 */
public final class ReportData {
  /** How many products the top-products table lists, and how many of them the trend chart draws. */
  public static final int TOP_PRODUCTS = 10;
  public static final int TRENDED_PRODUCTS = 5;
  /** At most this many suspicious transactions are listed (the count by rule counts all of them). */
  public static final int SUSPICIOUS_ROWS = 500;
  /** Card tokens are shown cut to this many characters. */
  public static final int TOKEN_PREFIX = 8;

  /** Column names and rows of plain values (String, Long, Integer, BigDecimal, null), in display order. */
  public record Section(List<String> columns, List<List<Object>> rows) {
    public Section {
      columns = List.copyOf(columns);
      rows = List.copyOf(rows);
    }

    /** The value of {@code column} in every row. */
    public List<Object> column(String column) {
      int i = columns.indexOf(column);
      if (i < 0) {
        throw new IllegalArgumentException("no column " + column + " in " + columns);
      }
      return rows.stream().map(r -> r.get(i)).toList();
    }
  }

  /**
   * The figures at the top. Net sales are {@code net_amount} (sale lines after discounts, before refunds); refunds
   * are {@code refund_amount}; the refund share is refunds / net sales in percent over the whole range (null without
   * sales). Orders are distinct orders with a sale line (silver.sales_lines). Quarantined records are rows of
   * silver.quarantine, each counted once whatever number of rules it broke.
   */
  public record Headline(BigDecimal netSales, BigDecimal refunds, BigDecimal netAfterRefunds,
      BigDecimal refundSharePct, long orders, long quarantined, long suspicious, long runs) {}

  private final LocalDate from;
  private final LocalDate to;
  private final List<String> missingTables;
  private final Headline headline;
  private final Map<String, Section> sections;

  ReportData(LocalDate from, LocalDate to, List<String> missingTables, Headline headline,
      Map<String, Section> sections) {
    this.from = from;
    this.to = to;
    this.missingTables = List.copyOf(missingTables);
    this.headline = headline;
    this.sections = new LinkedHashMap<>(sections);
  }

  /** The first business date asked for (--from), or null for open. */
  public LocalDate from() {
    return from;
  }

  /** The last business date asked for (--to), or null for open. */
  public LocalDate to() {
    return to;
  }

  /** The public names of the tables the report reads that are not in the lake. */
  public List<String> missingTables() {
    return missingTables;
  }

  public Headline headline() {
    return headline;
  }

  /** The section named {@code name} (see the constants of {@link ReportData} for the names). */
  public Section section(String name) {
    Section s = sections.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no section " + name);
    }
    return s;
  }

  public Map<String, Section> sections() {
    return java.util.Collections.unmodifiableMap(sections);
  }

  public static final String SALES_BY_DAY_STORE = "sales_by_day_store";
  public static final String CATEGORY_MIX = "category_mix";
  public static final String REFUNDS_BY_DAY = "refunds_by_day";
  public static final String TOP_PRODUCTS_SECTION = "top_products";
  public static final String PRODUCT_TREND = "product_trend";
  public static final String SUSPICIOUS_BY_RULE = "suspicious_by_rule";
  public static final String SUSPICIOUS = "suspicious";
  public static final String QUARANTINE_BY_RULE = "quarantine_by_rule";
  public static final String QUARANTINE_BY_DAY_RULE = "quarantine_by_day_rule";
  public static final String RUNS = "runs";

  /** The tables the report reads. */
  static final List<Table> READS = List.of(Table.GOLD_DAILY_SALES, Table.GOLD_PRODUCT_TRENDS,
      Table.GOLD_SUSPICIOUS_TRANSACTIONS, Table.SILVER_QUARANTINE, Table.SILVER_SALES_LINES, Table.OPS_RUNS);

  /**
   * Reads the lake and computes every figure for business dates {@code from..to} (either end null for open). Runs in
   * ops.runs are not by business date: all of them are listed.
   */
  public static ReportData compute(Lake lake, LocalDate from, LocalDate to) {
    List<String> missing = new ArrayList<>();
    Map<Table, Dataset<Row>> t = new LinkedHashMap<>();
    for (Table table : READS) {
      if (lake.exists(table)) {
        t.put(table, lake.read(table));
      } else {
        missing.add(table.qualifiedName());
        t.put(table, lake.spark().createDataFrame(List.of(), table.schema()));
      }
    }
    Dataset<Row> daily = DateRanges.filterBetween(t.get(Table.GOLD_DAILY_SALES), "business_date", from, to).cache();
    Dataset<Row> trends = DateRanges.filterBetween(t.get(Table.GOLD_PRODUCT_TRENDS), "business_date", from, to);
    Dataset<Row> suspicious = DateRanges.filterBetween(t.get(Table.GOLD_SUSPICIOUS_TRANSACTIONS), "business_date", from, to);
    Dataset<Row> quarantine = quarantineInRange(t.get(Table.SILVER_QUARANTINE), from, to).cache();
    Dataset<Row> lines = DateRanges.filterBetween(t.get(Table.SILVER_SALES_LINES), "business_date", from, to);
    Dataset<Row> runs = t.get(Table.OPS_RUNS);
    try {
      Map<String, Section> s = new LinkedHashMap<>();
      s.put(SALES_BY_DAY_STORE, section(salesByDayAndStore(daily)));
      s.put(CATEGORY_MIX, section(categoryMix(daily)));
      s.put(REFUNDS_BY_DAY, section(refundsByDay(daily)));
      Section top = section(topProducts(trends, TOP_PRODUCTS));
      s.put(TOP_PRODUCTS_SECTION, top);
      List<String> trended = top.column("sku").stream().limit(TRENDED_PRODUCTS).map(String.class::cast).toList();
      s.put(PRODUCT_TREND, section(productTrend(trends, trended)));
      Section byRule = section(suspiciousByRule(suspicious));
      s.put(SUSPICIOUS_BY_RULE, byRule);
      s.put(SUSPICIOUS, section(suspiciousRows(suspicious, SUSPICIOUS_ROWS)));
      s.put(QUARANTINE_BY_RULE, section(quarantineByRule(quarantine)));
      s.put(QUARANTINE_BY_DAY_RULE, section(quarantineByDayAndRule(quarantine)));
      Section runHistory = section(runHistory(runs));
      s.put(RUNS, runHistory);
      Row totals = salesTotals(daily).head();
      long suspiciousCount = byRule.column("transactions").stream().mapToLong(v -> (Long) v).sum();
      Headline h = new Headline(totals.getDecimal(0), totals.getDecimal(1), totals.getDecimal(2),
          totals.getDecimal(3), orders(lines), quarantine.count(), suspiciousCount, runHistory.rows().size());
      return new ReportData(from, to, missing, h, s);
    } finally {
      daily.unpersist();
      quarantine.unpersist();
    }
  }

  /** Quarantined records in the range; those without a business date (unknown store, unparseable) only when open. */
  static Dataset<Row> quarantineInRange(Dataset<Row> quarantine, LocalDate from, LocalDate to) {
    return from == null && to == null ? quarantine : DateRanges.filterBetween(quarantine, "business_date", from, to);
  }

  /** Net sales (net_amount) and net after refunds per business date and store. */
  static Dataset<Row> salesByDayAndStore(Dataset<Row> dailySales) {
    return dailySales.groupBy("business_date", "store_id")
        .agg(sum("net_amount").as("net_amount"), sum("net_after_refunds").as("net_after_refunds"))
        .orderBy("business_date", "store_id");
  }

  /** Per category: net sales, refunds, net after refunds and units, largest net sales first. */
  static Dataset<Row> categoryMix(Dataset<Row> dailySales) {
    return dailySales.groupBy("category")
        .agg(sum("net_amount").as("net_amount"), sum("refund_amount").as("refund_amount"),
            sum("net_after_refunds").as("net_after_refunds"), sum("units_sold").as("units_sold"))
        .orderBy(desc("net_amount"), asc("category"));
  }

  /** Per business date: net sales, refunds and the refund share of that day in percent (null without sales). */
  static Dataset<Row> refundsByDay(Dataset<Row> dailySales) {
    return withRefundShare(dailySales.groupBy("business_date")
        .agg(sum("net_amount").as("net_amount"), sum("refund_amount").as("refund_amount")))
        .orderBy("business_date");
  }

  /** One row: net sales, refunds, net after refunds (0 without rows) and the refund share in percent over them. */
  static Dataset<Row> salesTotals(Dataset<Row> dailySales) {
    return withRefundShare(dailySales.agg(
        expr("CAST(coalesce(sum(net_amount), 0) AS DECIMAL(28,2))").as("net_amount"),
        expr("CAST(coalesce(sum(refund_amount), 0) AS DECIMAL(28,2))").as("refund_amount"),
        expr("CAST(coalesce(sum(net_after_refunds), 0) AS DECIMAL(28,2))").as("net_after_refunds")));
  }

  /** refund_share_pct = refund_amount * 100 / net_amount, rounded half-up to 2 places; null when net is 0. */
  static Dataset<Row> withRefundShare(Dataset<Row> rows) {
    return rows.withColumn("refund_share_pct", expr(
        "CAST(round(refund_amount * 100 / nullif(net_amount, 0), 2) AS DECIMAL(9,2))"));
  }

  /** Distinct orders with at least one sale line. */
  static long orders(Dataset<Row> salesLines) {
    return salesLines.agg(countDistinct(when(col("event_type").equalTo("sale"), col("order_id")))).head().getLong(0);
  }

  /**
   * The {@code n} products with the largest net sales in the range: units, net sales, and the trend score and rank in
   * category of their latest business date in the range.
   */
  static Dataset<Row> topProducts(Dataset<Row> productTrends, int n) {
    return productTrends.groupBy("sku", "category")
        .agg(sum("units_sold").as("units_sold"), sum("net_amount").as("net_amount"),
            max_by(col("trend_score"), col("business_date")).as("trend_score"),
            max_by(col("rank_in_category"), col("business_date")).as("rank_in_category"))
        .orderBy(desc("net_amount"), asc("sku")).limit(n);
  }

  /** Daily net sales and their 7-day moving average for {@code skus}. */
  static Dataset<Row> productTrend(Dataset<Row> productTrends, List<String> skus) {
    return productTrends.where(col("sku").isin(skus.toArray()))
        .select("business_date", "sku", "net_amount", "net_amount_ma7").orderBy("business_date", "sku");
  }

  /** Suspicious transactions per rule. */
  static Dataset<Row> suspiciousByRule(Dataset<Row> suspicious) {
    return suspicious.groupBy("rule_id").agg(count(lit(1)).as("transactions")).orderBy(desc("transactions"),
        asc("rule_id"));
  }

  /** The first {@code limit} suspicious transactions by date and time; the card token cut to its first characters. */
  static Dataset<Row> suspiciousRows(Dataset<Row> suspicious, int limit) {
    return suspicious.orderBy("business_date", "event_time", "rule_id", "event_id")
        .select(col("business_date"), col("event_time"), col("rule_id"), col("store_id"), col("order_id"),
            substring(col("card_token"), 1, TOKEN_PREFIX).as("card_token_prefix"), col("details"))
        .limit(limit);
  }

  /** Rule hits in quarantine: a record that broke two rules counts once for each. */
  static Dataset<Row> quarantineByRule(Dataset<Row> quarantine) {
    return quarantine.select(explode(col("rule_ids")).as("rule_id")).groupBy("rule_id")
        .agg(count(lit(1)).as("records")).orderBy(desc("records"), asc("rule_id"));
  }

  /** Rule hits in quarantine per business date (null: records whose business date is not known), dates in order. */
  static Dataset<Row> quarantineByDayAndRule(Dataset<Row> quarantine) {
    return quarantine.select(col("business_date"), explode(col("rule_ids")).as("rule_id"))
        .groupBy("business_date", "rule_id").agg(count(lit(1)).as("records"))
        .orderBy(col("business_date").asc_nulls_last(), col("rule_id"));
  }

  /** Every run in ops.runs, oldest first. */
  static Dataset<Row> runHistory(Dataset<Row> runs) {
    return runs.select("started_at", "job", "status", "read", "accepted", "quarantined", "duplicates",
        "duration_ms", "run_id").orderBy("started_at", "run_id");
  }

  /** The rows of {@code rows}, collected on the driver as plain values (dates and times as ISO text, UTC). */
  static Section section(Dataset<Row> rows) {
    List<List<Object>> out = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      List<Object> values = new ArrayList<>(r.size());
      for (int i = 0; i < r.size(); i++) {
        values.add(plain(r.get(i)));
      }
      out.add(values);
    }
    return new Section(Arrays.asList(rows.columns()), out);
  }

  private static Object plain(Object v) {
    if (v instanceof Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof Timestamp ts) {
      return TIME.format(ts.toInstant());
    }
    return v;
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneOffset.UTC);
}
