package io.tillstream.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.delta.tables.DeltaTable;
import io.tillstream.gold.SuspiciousRules;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SilverLines;
import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TableRows;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldRefreshTest {
  private static final int HORIZON = 31;
  private final SparkSession spark = SparkTestSession.get();

  /** 90 days of one sale a day over five customers, plus a refund-only customer. */
  private static SilverLines history() {
    SilverLines l = new SilverLines();
    LocalDate d = LocalDate.parse("2025-01-01");
    for (int i = 0; i < 90; i++, d = d.plusDays(1)) {
      l.line("e" + i, "sale", "o" + i, i % 2 == 0 ? "FR-1" : "US-1", d.toString(), d + "T10:00:00Z", "c" + (i % 5),
          "card" + (i % 7), "S" + (i % 3), "g" + (i % 2), 1 + i % 4, "10.0051234567", "0.0011");
    }
    return l.line("r1", "refund", "o-r", "FR-1", "2025-01-15", "2025-01-15T11:00:00Z", "cr", null, "S1", "g1", 1,
        "7.125", "0");
  }

  /** Late and new lines: a sale 80 days back, the refund-only customer's first sale, an order seen before, a large
   *  order. */
  private static SilverLines delivery(SilverLines l) {
    return l.line("n1", "sale", "o-n1", "FR-1", "2025-01-05", "2025-01-05T12:00:00Z", "c1", "card1", "S2", "g0", 2,
            "3.3333333333", "0")
        .line("n2", "sale", "o-n2", "US-1", "2025-03-20", "2025-03-20T12:00:00Z", "cr", null, "S1", "g1", 1, "20",
            "0.5")
        .line("n3", "sale", "o88", "FR-1", "2025-03-31", "2025-03-31T12:00:00Z", "c3", "card4", "S0", "g0", 1, "5",
            "0")
        .line("n4", "sale", "o-n4", "US-1", "2025-03-30", "2025-03-30T12:00:00Z", "c2", "card2", "S1", "g1", 1,
            "6000", "0");
  }

  @Test
  void refreshingTheTouchedDatesGivesTheGoldOfOneFullRefreshAndRewritesOnlyTheirWindows(@TempDir Path dir) {
    Lake incremental = new Lake(spark, dir.resolve("incremental").toString());
    Dataset<Row> first = history().build(spark);
    incremental.append(Table.SILVER_SALES_LINES, TableRows.complete(Table.SILVER_SALES_LINES, first));
    refresh(incremental, dates(first));
    assertEquals("[c0,2025-01-01,2025-03-27,18,180.07,0.00,180.07,4,2025-03-31]",
        row(incremental, "customer_token = 'c0'"));
    assertEquals("tillstream.customer_totals silver_version=0 as_of_date=2025-03-31",
        incremental.lastUserMetadata(Table.GOLD_CUSTOMER_TOTALS, "tillstream.", 50));
    Dataset<Row> late = delivery(new SilverLines()).build(spark);
    incremental.append(Table.SILVER_SALES_LINES, TableRows.complete(Table.SILVER_SALES_LINES, late));
    refresh(incremental, dates(late));

    Lake once = new Lake(spark, dir.resolve("once").toString());
    Dataset<Row> all = delivery(history()).build(spark);
    once.append(Table.SILVER_SALES_LINES, TableRows.complete(Table.SILVER_SALES_LINES, all));
    refresh(once, dates(all));

    for (Table t : Table.gold()) {
      assertEquals(sorted(once.read(t)), sorted(incremental.read(t)), t.qualifiedName());
    }
    // Spot figures: the refund-only customer now has a sale and keeps the refund (12.375 rounds half-up); c3's
    // order o88 counts once.
    assertEquals("[cr,2025-03-20,2025-03-20,1,19.50,7.13,12.38,11,2025-03-31]",
        row(incremental, "customer_token = 'cr'"));
    assertEquals(18L, incremental.read(Table.GOLD_CUSTOMER_VALUE).filter("customer_token = 'c3'").first()
        .getLong(3));

    // One very late date adds its own 14 days of trends, not the 80 days up to the next touched date.
    Row commit = DeltaTable.forPath(spark, Table.GOLD_PRODUCT_TRENDS.path(incremental.root())).history(1).head();
    assertEquals("(business_date BETWEEN DATE'2025-01-05' AND DATE'2025-01-18' OR business_date BETWEEN"
        + " DATE'2025-03-20' AND DATE'2025-04-13')",
        commit.<scala.collection.Map<String, String>>getAs("operationParameters").get("predicate").get());

    // customer_value adds new lines to the recorded totals and does not re-read silver: mark the totals (same
    // record of the silver they include); a run that re-read silver would lose the mark.
    String record = incremental.lastUserMetadata(Table.GOLD_CUSTOMER_TOTALS, "tillstream.", 50);
    assertEquals("tillstream.customer_totals silver_version=1 as_of_date=2025-03-31", record);
    incremental.overwrite(Table.GOLD_CUSTOMER_TOTALS, incremental.read(Table.GOLD_CUSTOMER_TOTALS)
        .selectExpr("customer_token", "first_purchase_date", "last_purchase_date",
            "orders + IF(customer_token = 'c0', 100, 0) AS orders", "sales_exact", "refund_exact")
        .localCheckpoint(true), record);
    // 1.0045 added to the exact total 6180.0724222206 rounds to 6181.08; added to the rounded 6180.07 it would not.
    Dataset<Row> next = new SilverLines().line("x1", "sale", "o-x1", "FR-1", "2025-04-02", "2025-04-02T12:00:00Z",
        "c2", null, "S1", "g1", 1, "1.0045", "0").build(spark);
    incremental.append(Table.SILVER_SALES_LINES, TableRows.complete(Table.SILVER_SALES_LINES, next));
    refresh(incremental, dates(next));
    assertEquals("[c0,2025-01-01,2025-03-27,118,180.07,0.00,180.07,6,2025-04-02]",
        row(incremental, "customer_token = 'c0'"));
    assertEquals("[c2,2025-01-03,2025-04-02,20,6181.08,0.00,6181.08,0,2025-04-02]",
        row(incremental, "customer_token = 'c2'"));
    assertEquals("tillstream.customer_totals silver_version=2 as_of_date=2025-04-02",
        incremental.lastUserMetadata(Table.GOLD_CUSTOMER_TOTALS, "tillstream.", 50));
    // Lines changed rather than added (here one removed): the totals are rebuilt from silver, the mark is gone.
    DeltaTable.forPath(spark, Table.SILVER_SALES_LINES.path(incremental.root())).delete("event_id = 'x1'");
    refresh(incremental, new TreeSet<>(List.of(LocalDate.parse("2025-04-02"))));
    assertEquals("[c0,2025-01-01,2025-03-27,18,180.07,0.00,180.07,4,2025-03-31]",
        row(incremental, "customer_token = 'c0'"));
    assertEquals(sorted(once.read(Table.GOLD_CUSTOMER_VALUE)), sorted(incremental.read(Table.GOLD_CUSTOMER_VALUE)));

    // Rewritten whole four times, both tables keep their layout.
    for (Table t : List.of(Table.GOLD_CUSTOMER_VALUE, Table.GOLD_CUSTOMER_TOTALS)) {
      Row detail = spark.sql("DESCRIBE DETAIL delta.`" + t.path(incremental.root()) + "`").head();
      assertEquals(List.of(t.dateColumn()), detail.getList(detail.fieldIndex("clusteringColumns")), t.qualifiedName());
    }
  }

  private static void refresh(Lake lake, TreeSet<LocalDate> touched) {
    new GoldRefresh(lake, new StageTimer()).refresh(touched, SuspiciousRules.defaults(), HORIZON, false, null);
  }

  private static TreeSet<LocalDate> dates(Dataset<Row> lines) {
    TreeSet<LocalDate> out = new TreeSet<>();
    lines.select("business_date").distinct().collectAsList().forEach(r -> out.add(r.getDate(0).toLocalDate()));
    return out;
  }

  private static List<String> sorted(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static String row(Lake lake, String filter) {
    return lake.read(Table.GOLD_CUSTOMER_VALUE).filter(filter).collectAsList().toString().replaceAll("^\\[|\\]$",
        "");
  }
}
