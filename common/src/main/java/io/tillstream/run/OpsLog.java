package io.tillstream.run;

import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import java.util.List;

/** Appends run records to ops.runs. */
public final class OpsLog {
  private final Lake lake;

  public OpsLog(Lake lake) {
    this.lake = lake;
  }

  public long append(RunRecord record) {
    return lake.append(Table.OPS_RUNS, lake.spark().createDataFrame(List.of(record.toRow()), RunRecord.SCHEMA));
  }
}
