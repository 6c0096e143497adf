package io.tillstream.jobs.tools;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.cli.ConfigOptions;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.LakeOption;
import io.tillstream.jobs.cli.Progress;
import io.tillstream.jobs.cli.RunSession;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.jobs.metrics.MetricsTextfile;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.lake.TableMaintenance;
import io.tillstream.run.OpsLog;
import io.tillstream.run.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** scripts/tillstream maintain: OPTIMIZE and VACUUM the lake's tables, safe beside running jobs; logs a run. */
@Command(name = "maintain",
    description = {"compacts small files (OPTIMIZE) and deletes old unneeded ones (VACUUM);"
        + " safe beside running jobs",
        "Compacts small files (OPTIMIZE; tables are clustered by their date column, which OPTIMIZE"
        + " maintains) and deletes the data files no version within maintain.retention needs (VACUUM), table by"
        + " table. Safe while batch or stream jobs write: conflicting commits are repeated.",
        "Prints per table the live files and bytes before -> after, the files on storage before -> after and the"
        + " files VACUUM deleted; appends a row to ops.runs (job maintain)."},
    footer = {"Keys: maintain.retention (7d; at least 1h), maintain.zorder, maintain.retries.",
        "Exit codes: 0 done, 1 a table could not be maintained, 2 usage or config error (also: no tables there)."})
public final class MaintainCommand extends JobCommand {
  @Mixin
  LakeOption lake;

  @Option(names = "--tables", paramLabel = "T1,T2",
      description = "comma-separated table names (default: every table of the lake, ops.runs included)")
  String tables;

  @Option(names = "--zorder", arity = "0", description = "also Z-order by store_id and sku where a table has them"
      + " and is not clustered (default: maintain.zorder)")
  boolean zorder;

  @Option(names = "--no-vacuum", arity = "0", description = "compact only")
  boolean noVacuum;

  @Option(names = "--relayout", arity = "0", description = "first rewrite tables still partitioned by date (lakes"
      + " written before clustering) in the clustered layout, as a new version of each table (history and time"
      + " travel kept)")
  boolean relayout;

  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() {
    TillstreamConfig c = config.load(env());
    List<Table> requested = tables(tables);
    boolean zorderToo = zorder || c.get(ConfigKeys.MAINTAIN_ZORDER);
    boolean vacuum = !noVacuum;
    Duration retention = c.get(ConfigKeys.MAINTAIN_RETENTION);
    int attempts = c.get(ConfigKeys.MAINTAIN_RETRIES);
    SparkSession spark = RunSession.getOrCreate("tillstream-maintain", c, lake.root(c), err());
    Lake target = new Lake(spark, lake.root(c));
    if (Arrays.stream(Table.values()).noneMatch(target::exists)) {
      throw new UsageError("no Tillstream tables under " + target.root() + " (check --lake or lake.root; batch and "
          + "stream create them)");
    }
    Progress progress = Progress.on(err(), "maintain");
    Outcome o = execute(target, requested, zorderToo, vacuum, relayout, retention, attempts, progress);
    progress.end();
    MetricsTextfile.handOver(c, target, o.record());
    out().println(report(o, c.text(ConfigKeys.MAINTAIN_RETENTION.name()), zorderToo, vacuum));
    out().flush();
    return o.record().status().equals("SUCCEEDED") ? ExitCodes.OK : ExitCodes.RUN_FAILED;
  }

  /** The maintenance of every table, and the run's ops.runs row. */
  public record Outcome(List<TableMaintenance.Report> tables, List<Table> missing, RunRecord record) {}

  /** Maintains the {@code requested} tables that exist, one after the other, then appends the run to ops.runs. */
  public static Outcome execute(Lake lake, List<Table> requested, boolean zorder, boolean vacuum, Duration retention,
      int attempts) {
    return execute(lake, requested, zorder, vacuum, false, retention, attempts, Progress.none());
  }

  public static Outcome execute(Lake lake, List<Table> requested, boolean zorder, boolean vacuum, boolean relayout,
      Duration retention, int attempts, Progress progress) {
    Instant started = Instant.now();
    String runId = "maintain-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
        .format(started) + "-" + UUID.randomUUID().toString().substring(0, 8);
    TableMaintenance maintenance = new TableMaintenance(lake, retention, attempts);
    List<TableMaintenance.Report> reports = new ArrayList<>();
    List<Table> missing = new ArrayList<>();
    for (Table t : requested) {
      progress.step(reports.size() + missing.size(), requested.size(), t.qualifiedName());
      if (lake.exists(t)) {
        reports.add(maintenance.maintain(t, zorder, vacuum, relayout));
      } else {
        missing.add(t);
      }
    }
    Map<String, Long> millis = new LinkedHashMap<>();
    Map<String, Long> versions = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (TableMaintenance.Report r : reports) {
      String name = r.table().qualifiedName();
      millis.put("optimize " + name, r.optimizeMillis());
      if (vacuum) {
        millis.put("vacuum " + name, r.vacuumMillis());
      }
      versions.put(name, r.version());
      r.notes().forEach(n -> notes.add(name + ": " + n));
      if (r.error() != null) {
        errors.add(name + ": " + r.error());
      }
    }
    missing.forEach(t -> notes.add(t.qualifiedName() + ": not in the lake, skipped"));
    RunRecord record = RunRecord.of(runId, "maintain", started).status(errors.isEmpty() ? "SUCCEEDED" : "FAILED")
        .input(reports.stream().map(r -> r.table().qualifiedName()).collect(Collectors.joining(",")))
        .messages(notes).stages(millis).versions(versions).error(errors.isEmpty() ? null : String.join("; ", errors))
        .finishedNow();
    new OpsLog(lake).append(record);
    return new Outcome(reports, missing, record);
  }

  /** Table names from --tables (comma-separated public names), or every table. */
  static List<Table> tables(String list) {
    if (list == null) {
      return List.of(Table.values());
    }
    List<Table> out = new ArrayList<>();
    for (String name : list.split(",")) {
      String n = name.trim();
      Table t = Arrays.stream(Table.values()).filter(x -> x.qualifiedName().equals(n)).findFirst()
          .orElseThrow(() -> new UsageError("--tables: unknown table '" + n + "'; tables: " + Arrays.stream(
              Table.values()).map(Table::qualifiedName).collect(Collectors.joining(", "))));
      if (!out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  public static String report(Outcome o, String retention, boolean zorder, boolean vacuum) {
    StringBuilder sb = new StringBuilder();
    RunRecord r = o.record();
    sb.append("maintain ").append(r.runId()).append(' ').append(r.status()).append(" in ")
        .append(r.finishedAt().toEpochMilli() - r.startedAt().toEpochMilli()).append(" ms (retention ")
        .append(retention).append(zorder ? ", z-order" : "").append(vacuum ? "" : ", no vacuum").append(")\n");
    String format = "%-30s %-15s %-24s %-12s %-17s %-15s %-9s %-24s %8s%n";
    sb.append(String.format(format, "table", "live files", "live bytes", "compacted", "z-order by", "stored files",
        "vacuumed", "stored bytes", "ms"));
    for (TableMaintenance.Report t : o.tables()) {
      sb.append(String.format(format, t.table().qualifiedName(),
          t.liveBefore().count() + " -> " + t.liveAfter().count(),
          bytes(t.liveBefore().bytes()) + " -> " + bytes(t.liveAfter().bytes()),
          t.filesCompacted() + " -> " + t.filesWritten(),
          t.zorderBy().isEmpty() ? "-" : String.join(",", t.zorderBy()),
          t.storedBefore().count() + " -> " + t.storedAfter().count(),
          vacuum ? Long.toString(t.vacuumed()) : "-",
          bytes(t.storedBefore().bytes()) + " -> " + bytes(t.storedAfter().bytes()), t.millis()));
    }
    r.warningMessages().forEach(n -> sb.append("  note: ").append(n).append('\n'));
    if (r.error() != null) {
      sb.append("  error: ").append(r.error()).append('\n');
    }
    return sb.toString().stripTrailing();
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
