package io.tillstream.jobs.testing;

import io.tillstream.jobs.Main;
import io.tillstream.testing.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs the command line in the test JVM, as scripts/tillstream would run it, and keeps what it printed. The JVM's
 * test session is made first: a command that made it would make it with the command's Spark settings instead of
 * the ones every test here relies on (SparkTestSession).
 */
public final class Commands {
  /** The exit code and what the command printed to standard output and standard error. */
  public record Result(int code, String out, String err) {}

  public static Result run(Map<String, String> env, String... args) {
    SparkTestSession.get();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Commands() {}
}
