package io.tillstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.Main;
import io.tillstream.jobs.testing.Commands;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How wrong arguments are reported (exit 2, the problem in the commands' words, the usage) and help is printed. */
class CliTest {
  @Test
  void wrongArgumentsAreNamedInPlainWords() {
    assertEquals("unknown option --inptu (did you mean --input?)", problem("batch", "--inptu", "x"));
    assertEquals("unknown command 'bach' (did you mean batch or backfill?)", problem("bach"));
    assertEquals("unexpected argument 'x'", problem("config", "x"));
    assertEquals("option --lake needs a value", problem("batch", "--lake"));
    assertEquals("option --lake given twice", problem("batch", "--lake", "a", "--lake", "b"));
    assertEquals("option --zorder takes no value", problem("maintain", "--zorder=yes"));
    assertEquals("--from '2025-02-30' is not a date YYYY-MM-DD", problem("batch", "--from", "2025-02-30"));
    assertEquals("--batches '-1' is not a non-negative integer", problem("verify-parity", "--batches", "-1"));
    assertEquals("--duplicates '1.5' is not a rate between 0 and 1", problem("verify-parity", "--duplicates", "1.5"));
    assertEquals("--rate 'fast' is not a non-negative number of records per second", problem("publish", "--rate",
        "fast"));
    assertEquals("option --from is required", problem("backfill", "--to", "2025-03-01"));
    assertEquals("options --out, --events and --days are required", problem("generate"));
  }

  @Test
  void wrongArgumentsExitTwoWithTheCommandsUsage() {
    Commands.Result r = Commands.run(Map.of(), "daily", "--lake");
    assertEquals(ExitCodes.USAGE_OR_CONFIG, r.code());
    assertTrue(r.err().startsWith("error: option --lake needs a value\nusage: tillstream daily "), r.err());
    assertEquals("", r.out());
  }

  @Test
  void everyCommandPrintsItsHelpStartingWithItsUsage() {
    CommandLine cl = Cli.commandLine(new Main(), CommandContext.of(Map.of(), System.out, System.err));
    for (String name : cl.getSubcommands().keySet()) {
      if (name.equals("help")) {
        continue;
      }
      Commands.Result r = Commands.run(Map.of(), name, "--help");
      assertEquals(0, r.code(), name);
      assertTrue(r.out().startsWith("usage: tillstream " + name + " "), r.out());
      assertTrue(r.out().contains(cl.getSubcommands().get(name).getCommandSpec().usageMessage().description()[0]),
          r.out());
      assertEquals(r.out(), Commands.run(Map.of(), "help", name).out(), name);
    }
    Commands.Result none = Commands.run(Map.of());
    assertEquals(ExitCodes.USAGE_OR_CONFIG, none.code());
    assertTrue(none.err().startsWith("usage: tillstream [-hV] COMMAND"), none.err());
  }

  /** The first line of what a wrong command line prints, without "error: ". */
  private static String problem(String... args) {
    Commands.Result r = Commands.run(Map.of(), args);
    assertEquals(ExitCodes.USAGE_OR_CONFIG, r.code(), r.err());
    String first = r.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith("error: "), r.err());
    return first.substring("error: ".length());
  }
}
