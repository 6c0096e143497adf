package io.tillstream.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.tillstream.gold.DailySales;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SilverLines;
import io.tillstream.testing.SparkTestSession;
import io.tillstream.testing.TableRows;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DailySalesKeeperTest {
  private final SparkSession spark = SparkTestSession.get();

  /** Three days: orders over two lines, customers buying twice, a refund-only group, a line without category. */
  private static SilverLines first() {
    return new SilverLines()
        .line("e1", "sale", "o1", "FR-1", "2025-03-01", "2025-03-01T09:00:00Z", "c1", null, "S1", "grocery", 2,
            "20.005", "1.00")
        .line("e1", "sale", "o1", "FR-1", "2025-03-01", "2025-03-01T09:00:00Z", "c1", null, "S2", "grocery", 1,
            "5.50", "0")
        .line("e2", "sale", "o2", "FR-1", "2025-03-01", "2025-03-01T10:00:00Z", "c1", null, "S1", "grocery", 1,
            "9.999", "0")
        .line("e3", "refund", "o1", "FR-1", "2025-03-02", "2025-03-02T12:00:00Z", "c9", null, "S1", "grocery", 1,
            "10.00", "0")
        .line("e4", "sale", "o4", "US-1", "2025-03-03", "2025-03-03T12:00:00Z", null, null, "S9", null, 1,
            "7.125", "0");
  }

  /**
   * Added later: order o2 again in its group (a second event with that order id) and in another category, c1 again
   * and a new customer, a first sale in the refund-only group, a day not seen before, and a half cent that rounds
   * only with the exact total.
   */
  private static SilverLines second() {
    return new SilverLines()
        .line("f1", "sale", "o2", "FR-1", "2025-03-01", "2025-03-01T15:00:00Z", "c1", null, "S2", "grocery", 3,
            "0.0049999999", "0")
        .line("f2", "sale", "o2", "FR-1", "2025-03-01", "2025-03-01T15:00:00Z", "c1", null, "S3", "apparel", 1,
            "30.00", "0")
        .line("f3", "sale", "o5", "FR-1", "2025-03-01", "2025-03-01T16:00:00Z", "c2", null, "S1", "grocery", 1,
            "1.00", "0")
        .line("f4", "sale", "o6", "FR-1", "2025-03-02", "2025-03-02T16:00:00Z", "c9", null, "S1", "grocery", 1,
            "2.00", "0")
        .line("f5", "sale", "o4", "US-1", "2025-03-03", "2025-03-03T18:00:00Z", null, null, "S9", null, 1,
            "1.00", "0")
        .line("f6", "sale", "o7", "US-1", "2025-02-20", "2025-02-20T18:00:00Z", "c3", null, "S9", null, 1,
            "4.00", "0");
  }

  @Test
  void addedLinesGiveTheSameRowsAsAFullComputationAndCountOrdersAndCustomersOnce(@TempDir Path dir) {
    Lake lake = new Lake(spark, dir.toString());
    append(lake, first());
    DailySalesKeeper keeper = new DailySalesKeeper();
    keeper.refresh(lake, dates("2025-03-01", "2025-03-02", "2025-03-03"), new StageTimer());
    assertEquals(full(lake), written(lake));

    // Lines added to held days only: they are not read from silver again.
    append(lake, new SilverLines().line("h1", "sale", "o1", "FR-1", "2025-03-02", "2025-03-02T13:00:00Z", "c1", null,
        "S1", "grocery", 1, "0", "0"));
    StageTimer heldOnly = new StageTimer();
    keeper.refresh(lake, dates("2025-03-02"), heldOnly);
    assertTrue(heldOnly.ordered().containsKey("read added lines"), heldOnly.ordered().toString());
    assertFalse(heldOnly.ordered().containsKey("read days"), heldOnly.ordered().toString());
    assertEquals(full(lake), written(lake));

    append(lake, second());
    // Nothing pending: the change feed says which days gained lines.
    DailySalesKeeper.Refreshed done = keeper.refresh(lake, new TreeSet<>(), new StageTimer());
    assertEquals(dates("2025-02-20", "2025-03-01", "2025-03-02", "2025-03-03"), done.days());
    assertEquals(full(lake), written(lake));
    assertEquals(List.of(
        "[2025-02-20,US-1,null,1,1,4.00,0.00,4.00,0.00,4.00,1]",
        "[2025-03-01,FR-1,apparel,1,1,30.00,0.00,30.00,0.00,30.00,1]",
        // o1, o2, o5; c1, c2; 20.005 + 5.50 + 9.999 + 0.0049999999 + 1.00 = 36.5089999999: 36.51, where the
        // totals rounded before adding would make 35.50 + 1.00
        "[2025-03-01,FR-1,grocery,3,8,36.51,1.00,35.51,0.00,35.51,2]",
        // o1 (h1, sale 0) and o6; c1 and c9
        "[2025-03-02,FR-1,grocery,2,2,2.00,0.00,2.00,10.00,-8.00,2]",
        "[2025-03-03,US-1,null,1,2,8.13,0.00,8.13,0.00,8.13,0]"), written(lake));

    // Lines changed rather than added: what is held is dropped and the days are read afresh.
    DeltaTable.forPath(spark, Table.SILVER_SALES_LINES.path(lake.root())).delete("event_id = 'f3'");
    append(lake, new SilverLines().line("g1", "sale", "o5", "FR-1", "2025-03-01", "2025-03-01T17:00:00Z", "c1",
        null, "S1", "grocery", 1, "1.00", "0"));
    StageTimer afterDelete = new StageTimer();
    keeper.refresh(lake, dates("2025-03-01"), afterDelete);
    assertTrue(afterDelete.ordered().containsKey("read days"), afterDelete.ordered().toString());
    assertEquals(full(lake), written(lake));
  }

  @Test
  void theLeastRecentlyRefreshedDaysGoBeyondTheLimitAndAreReadAgainWhenLinesArrive(@TempDir Path dir) {
    Lake lake = new Lake(spark, dir.toString());
    append(lake, first());
    DailySalesKeeper keeper = new DailySalesKeeper(2);
    keeper.refresh(lake, dates("2025-03-01", "2025-03-02", "2025-03-03"), new StageTimer());
    assertEquals(2, keeper.heldDays().size());
    keeper.refresh(lake, dates("2025-03-01"), new StageTimer());
    assertEquals("2025-03-01", keeper.heldDays().get(1).toString());
    append(lake, second());
    keeper.refresh(lake, new TreeSet<>(), new StageTimer());
    assertEquals(full(lake), written(lake));
    assertFalse(keeper.heldDays().size() > 2);
  }

  private void append(Lake lake, SilverLines lines) {
    lake.append(Table.SILVER_SALES_LINES, TableRows.complete(Table.SILVER_SALES_LINES, lines.build(spark)));
  }

  private List<String> full(Lake lake) {
    return sorted(DailySales.compute(lake.read(Table.SILVER_SALES_LINES)));
  }

  private List<String> written(Lake lake) {
    return sorted(lake.read(Table.GOLD_DAILY_SALES));
  }

  private static List<String> sorted(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static TreeSet<LocalDate> dates(String... days) {
    TreeSet<LocalDate> out = new TreeSet<>();
    for (String d : days) {
      out.add(LocalDate.parse(d));
    }
    return out;
  }
}
