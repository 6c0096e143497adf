package io.tillstream.jobs;

import static io.tillstream.jobs.testing.Commands.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.testing.Commands.Result;
import io.tillstream.jobs.testing.SamplesLake;
import io.tillstream.jobs.tools.GenerateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public command line: help, wrong arguments (exit 2 with the problem and the usage), config errors. */
class MainTest {
  @Test
  void everyCommandHasHelp() {
    for (String c : new String[] {"batch", "sql", "validate", "generate", "config", "stream", "publish",
        "verify-parity", "maintain"}) {
      Result r = run(Map.of(), c, "--help");
      assertEquals(0, r.code(), c);
      assertTrue(r.out().startsWith("usage: tillstream " + c), r.out());
    }
    assertTrue(run(Map.of(), "--help").out().contains("batch"));
  }

  @Test
  void wrongArgumentsExitTwoWithTheProblemAndTheUsage() {
    Result unknown = run(Map.of(), "batch", "--inptu", "x");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("unknown option --inptu") && unknown.err().contains("usage: tillstream batch"),
        unknown.err());
    assertEquals(2, run(Map.of()).code());
    assertTrue(run(Map.of(), "frobnicate").err().contains("unknown command 'frobnicate'"));
    assertTrue(run(Map.of(), "batch", "--from", "2025-13-01").err().contains("not a date"));
    assertTrue(run(Map.of(), "batch", "--from", "2025-03-02", "--to", "2025-03-01").err().contains("is after"));
    assertTrue(run(Map.of(), "generate", "--events", "10").err().contains("options --out and --days are required"));
    assertTrue(run(Map.of(), "sql").err().contains("missing the SQL statement"));
    assertTrue(run(Map.of(), "stream").err().contains("--source kafka or --source files is required"));
    assertTrue(run(Map.of(), "stream", "--source", "kafka", "--topic", "t").err()
        .contains("--source kafka needs --bootstrap"));
    assertTrue(run(Map.of(), "stream", "--source", "files", "--input", "x", "--topic", "t").err()
        .contains("--topic does not apply to --source files"));
    assertTrue(run(Map.of(), "stream", "--source", "nfs").err().contains("--source must be kafka or files"));
    Result trigger = run(Map.of(), "stream", "--source", "files", "--input", "x", "--trigger", "0s");
    assertEquals(2, trigger.code());
    assertTrue(trigger.err().contains("--trigger=0s is not valid: use available-now or an interval"), trigger.err());
    Result key = run(Map.of(), "stream", "--source", "files", "--input", "x", "--set", "stream.trigger=soon");
    assertTrue(key.err().contains("bad value 'soon' for configuration key 'stream.trigger': expected available-now"
        + " or an interval"), key.err());
    assertTrue(run(Map.of(), "stream", "--source", "files", "--input", "x", "--set",
        "stream.kafka.max-offsets-per-trigger=0").err().contains("stream.kafka.max-offsets-per-trigger"));
    assertTrue(run(Map.of(), "publish", "--input", "x").err().contains("--bootstrap and --topic are required"));
    assertTrue(run(Map.of(), "verify-parity", "--input", "x").err().contains("--input and --dims are required"));
    Result table = run(Map.of(), "maintain", "--tables", "silver.sales_lines,gold.daily");
    assertEquals(2, table.code());
    assertTrue(table.err().contains("--tables: unknown table 'gold.daily'; tables: bronze.sales_events,")
        && table.err().contains("usage: tillstream maintain"), table.err());
    assertTrue(run(Map.of(), "maintain", "--zorder=yes").err().contains("option --zorder takes no value"));
    Result window = run(Map.of(), "maintain", "--set", "maintain.retention=30m");
    assertEquals(2, window.code());
    assertTrue(window.err().contains("'maintain.retention': expected at least 1h"), window.err());
  }

  @Test
  void configurationErrorsNameTheKeyAndTheFix(@TempDir Path dir) throws Exception {
    Result bad = run(Map.of(), "batch", "--set", "reporting.curency=USD");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("'reporting.curency'") && bad.err().contains("did you mean 'reporting.currency'"),
        bad.err());
    Files.writeString(dir.resolve("e.jsonl"), "{}\n");
    Result noKey = run(Map.of(), "batch", "--input", dir.toString());
    assertEquals(2, noKey.code());
    assertTrue(noKey.err().contains("TILLSTREAM_PII_KEY"), noKey.err());
    Result missing = run(Map.of("TILLSTREAM_PII_KEY", "k-0123456789abcdef"), "validate", "--input",
        dir.resolve("nope").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("does not exist"), missing.err());
  }

  @Test
  void configPrintsEffectiveValuesAndMasksTheKey() {
    Result r = run(Map.of("TILLSTREAM_PII_KEY", "do-not-print-me-123", "TILLSTREAM_FX_MAX_AGE_DAYS", "3"), "config",
        "--set", "reporting.currency=USD");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("reporting.currency=USD"));
    assertTrue(r.out().contains("fx.max-age-days=3"));
    assertTrue(r.out().contains("TILLSTREAM_PII_KEY=****"));
    assertTrue(!r.out().contains("do-not-print-me"));
  }

  @Test
  void validateChecksSamplesWithoutRunning() {
    Result r = run(Map.of(), "validate", "--input", SamplesLake.SAMPLES.resolve("events").toString(), "--dims",
        SamplesLake.SAMPLES.resolve("dims").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("10 stores, 200 products"), r.out());
    assertTrue(r.out().contains("inputs: 2 event file(s)"), r.out());
    assertTrue(r.out().contains("sampled 310 record(s) (first 1000 lines per file): parse issues {invalid_timestamp=1,"
        + " malformed_record=2, missing_required_field=2, schema_violation=2}"), r.out());
    assertTrue(r.out().contains("duplicate_dimension_key"), r.out());
  }

  @Test
  void generateIsDeterministic(@TempDir Path dir) throws Exception {
    assertEquals(0, run(Map.of(), "generate", "--out", dir.resolve("a").toString(), "--events", "500", "--days", "3",
        "--seed", "9", "--bad-rate", "0.1").code());
    assertEquals(0, run(Map.of(), "generate", "--out", dir.resolve("b").toString(), "--events", "500", "--days", "3",
        "--seed", "9", "--bad-rate", "0.1").code());
    assertEquals(Files.readString(dir.resolve("a/events/events-00000.jsonl")),
        Files.readString(dir.resolve("b/events/events-00000.jsonl")));
    assertEquals(500, Files.readAllLines(dir.resolve("a/events/events-00000.jsonl")).size());
    // Without --seed: the default seed, so still reproducible.
    assertEquals(0, run(Map.of(), "generate", "--out", dir.resolve("c").toString(), "--events", "50", "--days", "3")
        .code());
    assertEquals(0, run(Map.of(), "generate", "--out", dir.resolve("d").toString(), "--events", "50", "--days", "3",
        "--seed", Long.toString(GenerateCommand.DEFAULT_SEED)).code());
    assertEquals(Files.readString(dir.resolve("d/events/events-00000.jsonl")),
        Files.readString(dir.resolve("c/events/events-00000.jsonl")));
  }

  @Test
  void generateShowsOneProgressStepPerEventFileOnStandardErrorOnly(@TempDir Path dir) {
    Result r = run(Map.of(), "generate", "--out", dir.toString(), "--events", "500", "--days", "3",
        "--events-per-file", "200");
    assertEquals(0, r.code(), r.err());
    assertEquals(List.of("0/3 events-00000.jsonl", "1/3 events-00001.jsonl", "2/3 events-00002.jsonl",
        "3/3 event files written"), r.err().lines().filter(l -> l.startsWith("generate ["))
        .map(l -> l.substring(l.indexOf("] ") + 2)).toList());
    assertFalse(r.out().contains("generate ["), r.out());
    assertTrue(r.out().startsWith("generated 500 lines in 3 file(s)"), r.out());
  }
}
