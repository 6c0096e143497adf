package io.tillstream.jobs.export;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.cli.ConfigOptions;
import io.tillstream.jobs.cli.DateRange;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.LakeOption;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.lake.Lake;
import io.tillstream.lake.SparkSessions;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** scripts/tillstream export: gold tables into PostgreSQL, the days that changed since the last export. */
@Command(name = "export",
    description = {"copies gold tables into PostgreSQL, only the days that changed",
        "Copies gold tables into schema gold of a PostgreSQL database (gold.daily_sales becomes table daily_sales"
        + " there) with DATE, NUMERIC and BIGINT columns, the grain as primary key and an index on the date."
        + " Only days (values of a table's date column) whose rows changed since the last export are written,"
        + " each replaced in one transaction; what was exported is recorded in tillstream.export_state. Running it"
        + " again changes nothing.",
        "The password comes from TILLSTREAM_JDBC_PASSWORD, never from the command line."},
    footer = {"Keys: export.jdbc-url, daily.export (daily exports after its run).",
        "Exit codes: 0 done, 1 the export failed (a day in progress is rolled back), 2 usage or config error."})
public final class ExportCommand extends JobCommand {
  @Option(names = "--jdbc-url", paramLabel = "URL", description = "jdbc:postgresql://HOST:PORT/DB?user=USER"
      + " (default: export.jdbc-url)")
  String jdbcUrl;

  @Option(names = "--tables", paramLabel = "T1,T2", split = ",", description = "gold tables to export (default:"
      + " daily_sales, monthly_sales, product_trends, customer_value, suspicious_transactions)")
  List<String> tables;

  @Mixin
  DateRange range;

  @Mixin
  LakeOption lake;

  @Mixin
  ConfigOptions config;

  @Override
  public Integer call() throws SQLException {
    TillstreamConfig c = config.load(env());
    String url = jdbcUrl != null ? jdbcUrl : c.get(ConfigKeys.EXPORT_JDBC_URL);
    if (url.isEmpty()) {
      throw new UsageError("missing --jdbc-url (or " + ConfigKeys.EXPORT_JDBC_URL.name() + ")");
    }
    List<ExportedTable> chosen = chosen(tables);
    Lake gold = new Lake(SparkSessions.getOrCreate("tillstream-export", c.sparkSettings()), lake.root(c));
    for (PostgresExport.TableResult r : PostgresExport.run(gold, url, env(), chosen, range.from(), range.to())) {
      out().println(r);
    }
    return ExitCodes.OK;
  }

  static List<ExportedTable> chosen(List<String> names) {
    if (names == null) {
      return List.of(ExportedTable.values());
    }
    List<ExportedTable> chosen = new ArrayList<>();
    for (String name : names) {
      chosen.add(ExportedTable.named(name).orElseThrow(() -> new UsageError("--tables: no gold table " + name
          + " to export; choose from " + Arrays.stream(ExportedTable.values())
              .map(t -> t.table().tableName()).toList())));
    }
    return chosen;
  }
}
