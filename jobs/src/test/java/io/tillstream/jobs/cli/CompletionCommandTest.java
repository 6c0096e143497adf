package io.tillstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.jobs.testing.Commands;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated completion script, loaded into a real bash and asked what it completes. */
class CompletionCommandTest {
  @TempDir
  Path dir;

  @Test
  void bashCompletesCommandsOptionsAndTheirChoices() throws Exception {
    Commands.Result r = Commands.run(Map.of(), "completion");
    assertEquals(0, r.code(), r.err());
    Path script = Files.writeString(dir.resolve("tillstream-completion.bash"), r.out());
    assertEquals("batch backfill", complete(script, "tillstream", "ba"));
    assertEquals("--source", complete(script, "tillstream", "stream", "--so"));
    assertEquals("kafka files", complete(script, "tillstream", "stream", "--source", ""));
    assertEquals("--no-vacuum", complete(script, "tillstream", "maintain", "--no"));
    assertEquals("unknown_store unknown_currency", complete(script, "tillstream", "replay-quarantine", "--rule",
        "unknown_"));
  }

  /** What bash offers for the last word, as the function the script registers for tillstream computes it. */
  private static String complete(Path script, String... words) throws Exception {
    String line = String.join(" ", words);
    StringBuilder array = new StringBuilder();
    for (String w : words) {
      array.append(" '").append(w).append("'");
    }
    String program = "source '" + script + "' 2>/dev/null\n"
        + "fn=$(complete -p tillstream | sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p')\n"
        + "COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + line + "'\n"
        + "COMP_POINT=${#COMP_LINE}; COMPREPLY=()\n"
        + "$fn 2>/dev/null; echo \"${COMPREPLY[*]}\"\n";
    Process p = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }
}
