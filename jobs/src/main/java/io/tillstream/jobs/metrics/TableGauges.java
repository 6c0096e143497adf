package io.tillstream.jobs.metrics;

import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;

/** Rows, live files, bytes and version of every table of the lake, from Delta's log and file statistics. */
public final class TableGauges {

  public static void measure(Lake lake, PipelineMetrics metrics) {
    for (Table t : Table.values()) {
      if (lake.exists(t)) {
        Lake.Size size = lake.size(t);
        // Delta answers count(*) from the files' statistics, without reading the data.
        metrics.table(t.qualifiedName(), lake.read(t).count(), size.files(), size.bytes(), size.version());
      }
    }
  }

  private TableGauges() {}
}
