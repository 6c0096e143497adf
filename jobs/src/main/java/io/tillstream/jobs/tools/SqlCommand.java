package io.tillstream.jobs.tools;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;

import io.tillstream.config.ConfigKeys;
import io.tillstream.config.TillstreamConfig;
import io.tillstream.jobs.cli.ConfigOptions;
import io.tillstream.jobs.cli.ExitCodes;
import io.tillstream.jobs.cli.JobCommand;
import io.tillstream.jobs.cli.LakeOption;
import io.tillstream.jobs.cli.UsageError;
import io.tillstream.jobs.serve.ServingFile;
import io.tillstream.jobs.serve.SqlClient;
import io.tillstream.lake.Lake;
import io.tillstream.lake.SparkSessions;
import io.tillstream.lake.Table;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.commons.text.StringEscapeUtils;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** scripts/tillstream sql: Spark SQL over the lake's tables by their public names, CSV with a header on stdout. */
@Command(name = "sql",
    description = {"Spark SQL over the lake's tables, CSV with a header on stdout",
        "Runs one Spark SQL statement over the lake's tables, each by its public name (layer.table:"
        + " gold.daily_sales, ops.runs; the README lists them). \"DESCRIBE HISTORY silver.sales_lines\" lists a"
        + " table's commits (MERGE, OPTIMIZE, VACUUM ...).",
        "Prints CSV with a header to standard output (arrays, maps and structs as JSON); logs go to standard error."})
public final class SqlCommand extends JobCommand {
  @Option(names = "--remote", paramLabel = "URL", description = "send the statement to the Spark Connect server"
      + " started by serve (sc://HOST:PORT; default: sql.remote, else the serve running on this lake, if any;"
      + " token from TILLSTREAM_SQL_TOKEN) instead of starting a Spark session")
  String remote;

  @Option(names = "--local", description = "run the statement in a Spark session of its own, even when a serve of"
      + " the lake is running")
  boolean local;

  @Mixin
  LakeOption lake;

  @Mixin
  ConfigOptions config;

  @Parameters(arity = "0..1", paramLabel = "STATEMENT", description = "the SQL statement, e.g. \"SELECT ...\"")
  String statement;

  @Override
  public Integer call() {
    if (statement == null) {
      throw new UsageError("missing the SQL statement");
    }
    TillstreamConfig c = config.load(env());
    String server = remote != null ? remote : c.get(ConfigKeys.SQL_REMOTE);
    if (local) {
      server = "";
    } else if (server.isEmpty()) {
      server = ServingFile.find(lake.root(c)).orElse("");
      if (!server.isEmpty()) {
        err().println("tillstream: asking the serve running on this lake at " + server + " (--local: run here)");
      }
    }
    if (!server.isEmpty()) {
      Consumer<String[]> csv = csvLines(out());
      SqlClient.run(server, env(), statement, csv);
      out().flush();
      return ExitCodes.OK;
    }
    SparkSession spark = SparkSessions.getOrCreate("tillstream-sql", c.sparkSettings());
    Lake tables = new Lake(spark, lake.root(c));
    tables.registerTables(namedIn(statement));
    Dataset<Row> result;
    try {
      result = spark.sql(statement);
    } catch (Exception e) { // AnalysisException is checked and undeclared
      if (!(e instanceof org.apache.spark.sql.AnalysisException)) {
        throw e;
      }
      tables.registerTables(); // a table named another way, e.g. IDENTIFIER('gold.' || 'daily_sales')
      result = spark.sql(statement);
    }
    printCsv(result, out());
    return ExitCodes.OK;
  }

  /** The lake tables whose public name appears in {@code query} (backquoted or not). */
  static Set<Table> namedIn(String query) {
    String unquoted = query.replace("`", "").toLowerCase(java.util.Locale.ROOT);
    Set<Table> named = java.util.EnumSet.noneOf(Table.class);
    for (Table t : Table.values()) {
      if (java.util.regex.Pattern.compile("\\b" + t.layer() + "\\s*\\.\\s*" + t.tableName() + "\\b")
          .matcher(unquoted).find()) {
        named.add(t);
      }
    }
    return named;
  }

  static void printCsv(Dataset<Row> df, PrintStream out) {
    StructType schema = df.schema();
    Column[] asText = new Column[schema.size()];
    for (int i = 0; i < schema.size(); i++) {
      StructField f = schema.fields()[i];
      boolean nested = f.dataType() instanceof ArrayType || f.dataType() instanceof MapType
          || f.dataType() instanceof StructType;
      Column c = col("`" + f.name().replace("`", "``") + "`");
      asText[i] = (nested ? to_json(c) : c.cast("string")).as("c" + i);
    }
    Consumer<String[]> csv = csvLines(out);
    csv.accept(schema.fieldNames());
    Iterator<Row> rows = df.select(asText).toLocalIterator();
    while (rows.hasNext()) {
      Row r = rows.next();
      String[] cells = new String[r.size()];
      for (int i = 0; i < cells.length; i++) {
        cells[i] = r.isNullAt(i) ? null : r.getString(i);
      }
      csv.accept(cells);
    }
    out.flush();
  }

  /** Writes each row it is given as one CSV line (null as an empty field). */
  static Consumer<String[]> csvLines(PrintStream out) {
    StringBuilder line = new StringBuilder();
    return cells -> {
      line.setLength(0);
      for (int i = 0; i < cells.length; i++) {
        line.append(i == 0 ? "" : ",").append(cells[i] == null ? "" : StringEscapeUtils.escapeCsv(cells[i]));
      }
      out.println(line);
    };
  }
}
