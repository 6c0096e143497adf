package io.tillstream.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** --version names the build the pom declares and the Spark and Delta Lake it declares, as found at run time. */
class VersionInfoTest {
  @Test
  void versionNamesThisBuildAndTheStackItRunsOn() throws Exception {
    String pom = Files.readString(Path.of("..", "pom.xml"));
    Commands.Result r = Commands.run(Map.of(), "--version");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("tillstream " + element(pom, "version") + " (Spark " + element(pom, "spark.version")
        + ", Delta Lake " + element(pom, "delta.version") + ", Scala "), r.out());
    assertEquals(r.out(), Commands.run(Map.of(), "batch", "-V").out(), "every command answers --version alike");
  }

  /** The first {@code <name>} element's text after the parent declaration. */
  private static String element(String pom, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom.substring(pom.indexOf(
        "<artifactId>tillstream-parent</artifactId>")));
    assertTrue(m.find(), name);
    return m.group(1);
  }
}
