package io.tillstream.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.testing.SmallFiles;
import io.tillstream.testing.SparkTestSession;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LakeComparison counts rows as multisets: a row twice on one side and once on the other is one surplus row. */
class LakeComparisonTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void rowsAreComparedAsMultisetsWithTheSurplusOfEachSide(@TempDir Path dir) {
    Lake left = new Lake(spark, dir.resolve("left").toString());
    Lake right = new Lake(spark, dir.resolve("right").toString());
    // left: every row, e0 three times; right: every row but e5, e0 once, e7 twice.
    SmallFiles.appendInCommits(left, Table.SILVER_SALES_LINES, SmallFiles.rows(spark)
        .union(SmallFiles.rows(spark).filter("source_line = 0"))
        .union(SmallFiles.rows(spark).filter("source_line = 0")), 1);
    SmallFiles.appendInCommits(right, Table.SILVER_SALES_LINES, SmallFiles.rows(spark).filter("source_line <> 5")
        .union(SmallFiles.rows(spark).filter("source_line = 7")), 1);

    List<LakeComparison.TableDiff> diffs = LakeComparison.compare(left, right, 10);
    LakeComparison.TableDiff silver = diffs.get(0);
    assertEquals(Table.SILVER_SALES_LINES, silver.table());
    assertEquals(List.of(242L, 240L, 3L, 1L), List.of(silver.leftRows(), silver.rightRows(),
        silver.onlyLeftCount(), silver.onlyRightCount()));
    assertEquals(3, silver.onlyLeft().size(), silver.onlyLeft().toString());
    assertEquals(2, silver.onlyLeft().stream().filter(r -> r.startsWith("[e0,")).count(), silver.onlyLeft().toString());
    assertEquals(1, silver.onlyLeft().stream().filter(r -> r.startsWith("[e5,")).count(), silver.onlyLeft().toString());
    assertEquals(1, silver.onlyRight().size());
    assertTrue(silver.onlyRight().get(0).startsWith("[e7,"), silver.onlyRight().toString());
    // The sample is capped; the counts are not.
    LakeComparison.TableDiff capped = LakeComparison.compare(left, right, 1).get(0);
    assertEquals(List.of(1, 3L), List.of(capped.onlyLeft().size(), capped.onlyLeftCount()));
    // Tables absent from both lakes are equal; a lake compared with itself is equal everywhere.
    assertTrue(diffs.stream().skip(1).allMatch(LakeComparison.TableDiff::equal), LakeComparison.report(diffs, "l", "r"));
    assertTrue(LakeComparison.compare(left, left, 10).stream().allMatch(LakeComparison.TableDiff::equal));
    assertTrue(LakeComparison.report(diffs, "l", "r").contains("DIFFERENT (3 only in l, 1 only in r)"),
        LakeComparison.report(diffs, "l", "r"));
  }
}
