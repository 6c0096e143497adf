package io.tillstream.run;

import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/** Appends run records to ops.runs and answers what the scheduled runs already did. */
public final class OpsLog {
  private final Lake lake;

  public OpsLog(Lake lake) {
    this.lake = lake;
  }

  /**
   * Appends one row; an ops.runs written by an older release gains the newer columns on the way. A commit lost to
   * a concurrent maintain (new table properties, OPTIMIZE) is repeated, as for every {@link Lake} write.
   */
  public long append(RunRecord record) {
    return lake.appendMergingSchema(Table.OPS_RUNS,
        lake.spark().createDataFrame(List.of(record.toRow()), RunRecord.SCHEMA));
  }

  /** The status of the latest run (by finish time) of each landing day in [from, to] logged by one of {@code jobs}. */
  public Map<LocalDate, String> latestStatusByLandingDate(Collection<String> jobs, LocalDate from, LocalDate to) {
    if (!lake.exists(Table.OPS_RUNS)) {
      return Map.of();
    }
    var runs = lake.read(Table.OPS_RUNS);
    if (!Arrays.asList(runs.columns()).contains("landing_date")) {
      return Map.of();
    }
    String jobList = jobs.stream().map(j -> "'" + j.replace("'", "''") + "'").collect(Collectors.joining(", "));
    List<Row> rows = runs.filter("job IN (" + jobList + ") AND landing_date BETWEEN DATE'" + from + "' AND DATE'"
        + to + "'").select("landing_date", "status", "finished_at").collectAsList();
    Map<LocalDate, Timestamp> latest = new HashMap<>();
    Map<LocalDate, String> status = new TreeMap<>();
    for (Row r : rows) {
      LocalDate day = r.getDate(0).toLocalDate();
      Timestamp finished = r.getTimestamp(2);
      if (!latest.containsKey(day) || finished.after(latest.get(day))) {
        latest.put(day, finished);
        status.put(day, r.getString(1));
      }
    }
    return status;
  }
}
