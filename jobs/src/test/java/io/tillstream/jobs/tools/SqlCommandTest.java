package io.tillstream.jobs.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.jobs.Main;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SmallFiles;
import io.tillstream.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sql names the tables of the lake it is given, also when one session has queried another lake before. */
class SqlCommandTest {

  @Test
  void eachCallQueriesItsOwnLakeAndLeavesTheOtherLakesData(@TempDir Path dir) {
    SparkSession spark = SparkTestSession.get();
    Lake a = new Lake(spark, dir.resolve("a").toString());
    Lake b = new Lake(spark, dir.resolve("b").toString());
    SmallFiles.appendInCommits(a, Table.SILVER_SALES_LINES, SmallFiles.rows(spark), 1);
    SmallFiles.appendInCommits(b, Table.SILVER_SALES_LINES, SmallFiles.rows(spark).limit(7), 1);

    assertEquals(List.of("n", Integer.toString(SmallFiles.ROWS)), count(a));
    assertEquals(List.of("n", "7"), count(b));
    assertEquals(List.of("n", Integer.toString(SmallFiles.ROWS)), count(a));
    // Re-pointing the name dropped only the catalog entry: b's table is whole.
    assertEquals(7, b.read(Table.SILVER_SALES_LINES).count());
    // Its one commit (created holding the rows) and none by the sql commands.
    assertEquals(0, b.version(Table.SILVER_SALES_LINES));
  }

  @Test
  void aQueryRegistersTheTablesItNamesHoweverTheyAreWritten() {
    assertEquals(java.util.EnumSet.of(Table.GOLD_DAILY_SALES, Table.SILVER_SALES_LINES),
        SqlCommand.namedIn("select * from `gold`.`daily_sales` d join Silver . Sales_Lines s using (store_id)"));
    assertEquals(java.util.EnumSet.noneOf(Table.class), SqlCommand.namedIn("SELECT * FROM gold.daily_sales_copy"));
  }

  @Test
  void aTableNamedOtherwiseIsFoundInThisLakeNotInTheLastOne(@TempDir Path dir) {
    SparkSession spark = SparkTestSession.get();
    Lake other = new Lake(spark, dir.resolve("other").toString());
    SmallFiles.appendInCommits(other, Table.SILVER_SALES_LINES, SmallFiles.rows(spark).limit(7), 1);
    assertEquals(List.of("n", "7"), count(other));
    Lake lake = new Lake(spark, dir.resolve("this").toString());
    SmallFiles.appendInCommits(lake, Table.SILVER_SALES_LINES, SmallFiles.rows(spark).limit(3), 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Main.run(new String[] {"sql", "--lake", lake.root(),
        "SELECT count(*) AS n FROM IDENTIFIER('silver.' || 'sales_lines')"},
        Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
    assertEquals(List.of("n", "3"), out.toString(StandardCharsets.UTF_8).lines().toList());
  }

  private static List<String> count(Lake lake) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertEquals(0, Main.run(new String[] {"sql", "--lake", lake.root(), "SELECT count(*) AS n FROM silver.sales_lines"},
        Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
