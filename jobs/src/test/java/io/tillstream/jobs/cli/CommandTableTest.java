package io.tillstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandTableTest {
  private static final String BEGIN = "<!-- commands: rendered from their declarations by CommandTable -->\n";
  private static final String END = "<!-- end of commands -->";

  @Test
  void theReadmeListsEveryCommandAsDeclared() throws Exception {
    CommandLine cl = Cli.commandLine(new Main(), CommandContext.of(Map.of(), System.out, System.err));
    String readme = Files.readString(Path.of("..", "README.md"));
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "README.md lost its command table markers");
    assertEquals(CommandTable.markdown(cl), readme.substring(begin + BEGIN.length(), end),
        "README.md's command table differs from the declarations: put the expected table between its markers");
  }

  @Test
  void eachCommandShowsItsOptionsRequiredOnesWithoutBrackets() {
    CommandLine cl = Cli.commandLine(new Main(), CommandContext.of(Map.of(), System.out, System.err));
    assertEquals("backfill --from DATE --to DATE [--restart] [--allow-missing] [--landing DIR] [--dims DIR]"
        + " [--lake DIR] [--conf FILE] [--set KEY=VALUE]...",
        CommandTable.synopsis(cl.getSubcommands().get("backfill").getCommandSpec()));
    assertEquals("sql [--remote URL] [--local] [--lake DIR] [--conf FILE] [--set KEY=VALUE]... [STATEMENT]",
        CommandTable.synopsis(cl.getSubcommands().get("sql").getCommandSpec()));
    String table = CommandTable.markdown(cl);
    assertTrue(table.contains("| `stream [--source kafka\\|files] [--bootstrap HOST:PORT]"), table);
    assertTrue(!table.contains("`help"), "picocli's own help command is not listed");
    assertEquals(cl.getSubcommands().size() - 1 + 2, table.lines().count(), table);
  }
}
