package io.tillstream.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.testing.SmallFiles;
import io.tillstream.testing.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableLayoutTest {

  @Test
  void aTableWhoseCreationWasKilledAfterWritingFilesIsCreatedByTheNextWrite(@TempDir Path dir) throws Exception {
    SparkSession spark = SparkTestSession.get();
    Lake lake = new Lake(spark, dir.toString());
    Table t = Table.SILVER_SALES_LINES;
    // What a process killed inside CREATE TABLE AS SELECT leaves: data files, no commit.
    Path folder = Path.of(java.net.URI.create(t.path(lake.root())));
    SmallFiles.rows(spark).limit(5).write().parquet(folder.toString());
    Files.delete(folder.resolve("_SUCCESS"));
    assertTrue(!lake.exists(t));

    lake.insertNew(t, SmallFiles.rows(spark), List.of("event_id", "line_no"), null);

    assertEquals(SmallFiles.ROWS, lake.read(t).count(), "the leftover files are not part of the table");
    io.delta.tables.DeltaTable table = io.delta.tables.DeltaTable.forPath(spark, t.path(lake.root()));
    org.apache.spark.sql.Row detail = table.detail().head();
    assertEquals(List.of("business_date"), scala.jdk.javaapi.CollectionConverters.asJava(
        detail.<scala.collection.Seq<String>>getAs("clusteringColumns")));
    assertEquals("true", detail.<scala.collection.Map<String, String>>getAs("properties")
        .get(TableLayout.CHANGE_FEED).get());
  }
}
