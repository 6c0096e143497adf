package io.tillstream.jobs.report;

import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.cli.ConfigOptions;
import io.tillstream.jobs.cli.DateRange;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.LakeOption;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.lake.Lake;
import io.tillstream.lake.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** scripts/tillstream report: the lake's figures and charts as one self-contained HTML file. */
@Command(name = "report",
    description = {"writes one self-contained HTML report: sales, categories, refunds, products, alerts, quarantine,"
        + " runs",
        "Reads gold.daily_sales, gold.product_trends, gold.suspicious_transactions, silver.quarantine,"
            + " silver.sales_lines and ops.runs and writes one HTML file that opens without network (charts by"
            + " Apache ECharts, inlined): headline figures, net sales by day and store, category mix, refund share,"
            + " top products and their trend, suspicious transactions, quarantine by rule over time and the run"
            + " history. --from/--to limit everything but the run history to those business dates. A table missing"
            + " from the lake leaves its section empty."},
    footer = "Exit codes: 0 written, 2 usage or config error (also: no Tillstream tables there).")
public final class ReportCommand extends JobCommand {
  @Mixin
  LakeOption lake;

  @Mixin
  DateRange range;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "the HTML file to write")
  Path out;

  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() {
    LocalDate from = range.from();
    LocalDate to = range.to();
    TillstreamConfig c = config.load(env());
    Lake target = new Lake(SparkSessions.getOrCreate("tillstream-report", c.sparkSettings()), lake.root(c));
    if (ReportData.READS.stream().noneMatch(target::exists)) {
      throw new UsageError("no Tillstream tables under " + target.root() + " (check --lake or lake.root)");
    }
    ReportData data = ReportData.compute(target, from, to);
    String page = ReportPage.render(data, new ReportPage.Meta(target.root(), context().clock().instant()),
        ReportPage.echarts());
    write(out, page);
    ReportData.Headline h = data.headline();
    out().println("report " + out.toAbsolutePath() + ": net sales " + h.netSales() + ", orders " + h.orders()
        + ", quarantined " + h.quarantined() + ", suspicious " + h.suspicious() + ", runs " + h.runs()
        + (data.missingTables().isEmpty() ? "" : "; not in the lake: " + String.join(", ", data.missingTables())));
    out().flush();
    return ExitCodes.OK;
  }

  /** Writes beside the target, then renames it into place: a reader never sees half a page. */
  static void write(Path file, String page) {
    Path target = file.toAbsolutePath();
    try {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      try {
        Files.writeString(tmp, page, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
