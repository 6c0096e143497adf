package io.tillstream.jobs.tools;

import static org.apache.spark.sql.functions.asc;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.desc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.cli.ConfigOptions;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.LakeOption;
import io.tillstream.jobs.cli.OptionTypes;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.lake.Lake;
import io.tillstream.lake.SparkSessions;
import io.tillstream.lake.Table;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** scripts/tillstream status: the lake at a glance, for a person at a terminal. */
@Command(name = "status",
    description = {"summarizes the lake for a person: last run of each job, the stream, quarantine by rule, tables",
        "Reads ops.runs and the tables' Delta logs; starts no job that writes. Shows the last run of each job with"
            + " its status and counts, when the stream last committed a micro-batch and what it read in the last"
            + " hour, the share of records each rule quarantined in the runs of the last --days days, and each"
            + " table's version, live files and bytes."},
    footer = "Exit codes: 0 shown, 2 usage or config error (also: no Tillstream tables there).")
public final class StatusCommand extends JobCommand {
  @Mixin
  LakeOption lake;

  @Option(names = "--days", paramLabel = "N", converter = OptionTypes.Count.class, defaultValue = "7",
      description = "quarantine by rule over the runs of the last N days (default: ${DEFAULT-VALUE})")
  long days;

  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() {
    TillstreamConfig c = config.load(env());
    Lake target = new Lake(SparkSessions.getOrCreate("tillstream-status", c.sparkSettings()), lake.root(c));
    if (Arrays.stream(Table.values()).noneMatch(target::exists)) {
      throw new UsageError("no Tillstream tables under " + target.root() + " (check --lake or lake.root)");
    }
    out().print(report(target, context().clock().instant(), Duration.ofDays(days)));
    out().flush();
    return ExitCodes.OK;
  }

  /** The four sections, as printed. */
  static String report(Lake lake, Instant now, Duration window) {
    StringBuilder sb = new StringBuilder("lake " + lake.root() + " at " + TIME.format(now) + "\n");
    if (lake.exists(Table.OPS_RUNS)) {
      Dataset<Row> runs = lake.read(Table.OPS_RUNS);
      lastRuns(runs, sb);
      stream(runs, now, sb);
      quarantine(runs, now.minus(window), window, sb);
    } else {
      sb.append("\nno ops.runs yet\n");
    }
    tables(lake, sb);
    return sb.toString();
  }

  private static void lastRuns(Dataset<Row> runs, StringBuilder sb) {
    List<Row> last = runs.selectExpr("job", "status", "finished_at", "duration_ms", "read", "accepted",
            "quarantined", "duplicates", "run_id",
            "row_number() OVER (PARTITION BY job ORDER BY started_at DESC, run_id DESC) AS n")
        .where("n = 1").orderBy("job").collectAsList();
    sb.append("\nlast run of each job\n");
    String format = "  %-18s %-10s %-20s %10s %9s %9s %12s %11s  %s%n";
    sb.append(String.format(Locale.ROOT, format, "job", "status", "finished (UTC)", "seconds", "read", "accepted",
        "quarantined", "duplicates", "run id"));
    for (Row r : last) {
      sb.append(String.format(Locale.ROOT, format, r.getString(0), r.getString(1), time(r.getTimestamp(2)),
          r.isNullAt(3) ? "" : String.format(Locale.ROOT, "%.1f", r.getLong(3) / 1000.0), number(r, 4), number(r, 5),
          number(r, 6), number(r, 7), r.getString(8)));
    }
  }

  private static void stream(Dataset<Row> runs, Instant now, StringBuilder sb) {
    Column lastHour = col("finished_at").geq(lit(Timestamp.from(now.minus(Duration.ofHours(1)))));
    Row s = runs.where(col("job").equalTo("stream")).agg(max("finished_at"),
        count(when(lastHour.and(col("read").isNotNull()), 1)), coalesce(sum(when(lastHour, col("read"))), lit(0L)),
        count(when(lastHour.and(col("status").notEqual("SUCCEEDED")), 1))).head();
    sb.append("\nstream\n");
    if (s.isNullAt(0)) {
      sb.append("  no stream runs\n");
      return;
    }
    Instant last = s.getTimestamp(0).toInstant();
    sb.append("  last micro-batch committed ").append(TIME.format(last)).append(" (")
        .append(Duration.between(last, now).toSeconds()).append(" s ago)\n");
    sb.append("  last hour: ").append(s.getLong(1)).append(" micro-batches, ").append(s.getLong(2))
        .append(" records read, ").append(s.getLong(3)).append(" failed\n");
  }

  private static void quarantine(Dataset<Row> runs, Instant since, Duration window, StringBuilder sb) {
    Dataset<Row> recent = runs.where(col("started_at").geq(lit(Timestamp.from(since))));
    long read = recent.selectExpr("coalesce(sum(read), 0)").head().getLong(0);
    List<Row> byRule = recent.selectExpr("explode(rejected_by_rule) AS (rule, records)")
        .groupBy("rule").agg(sum("records").as("records")).orderBy(desc("records"), asc("rule"))
        .collectAsList();
    sb.append("\nquarantine by rule, runs of the last ").append(window.toDays()).append(" days (").append(read)
        .append(" records read)\n");
    if (byRule.isEmpty()) {
      sb.append("  none\n");
    }
    for (Row r : byRule) {
      long n = r.getLong(1);
      sb.append(String.format(Locale.ROOT, "  %-24s %9d  %6.2f%%%n", r.getString(0), n,
          read == 0 ? 0.0 : 100.0 * n / read));
    }
  }

  private static void tables(Lake lake, StringBuilder sb) {
    sb.append("\ntables\n");
    String format = "  %-30s %8s %8s %14s%n";
    sb.append(String.format(Locale.ROOT, format, "table", "version", "files", "bytes"));
    for (Table t : Table.values()) {
      if (lake.exists(t)) {
        Lake.Size s = lake.size(t);
        sb.append(String.format(Locale.ROOT, format, t.qualifiedName(), s.version(), s.files(), s.bytes()));
      }
    }
  }

  private static String number(Row r, int i) {
    return r.isNullAt(i) ? "" : Long.toString(r.getLong(i));
  }

  private static String time(Timestamp t) {
    return t == null ? "" : TIME.format(t.toInstant());
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
      .withZone(ZoneOffset.UTC);
}
