package io.tillstream.jobs.bench;

import io.tillstream.contract.EventParser;
import io.tillstream.privacy.PiiKey;
import io.tillstream.privacy.PiiTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU cost of parsing and redacting one record on one core, without Spark: every non-blank line of the given
 * JSON Lines files, parsed {@code rounds} times after three warm-up rounds (scripts/bench parse).
 */
public final class ParseCost {
  public static void main(String[] args) throws IOException {
    int rounds = Integer.getInteger("rounds", 1000);
    List<String> lines = new ArrayList<>();
    for (String file : args) {
      for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    }
    if (lines.isEmpty()) {
      System.err.println("usage: scripts/bench parse FILE.jsonl... (plain JSON Lines)");
      System.exit(2);
    }
    EventParser parser = new EventParser(new PiiTokenizer(PiiKey.of("bench", "bench-only-key-0123456789")));
    for (int warmUp = 0; warmUp < 3; warmUp++) {
      parseAll(parser, lines, Math.max(1, rounds / 10));
    }
    long start = System.nanoTime();
    long records = parseAll(parser, lines, rounds);
    double micros = (System.nanoTime() - start) / 1000.0 / records;
    System.out.printf("parse and redact: %d records (%d distinct lines x %d), %.1f us per record on one core%n",
        records, lines.size(), rounds, micros);
  }

  private static long parseAll(EventParser parser, List<String> lines, int rounds) {
    long n = 0;
    for (int r = 0; r < rounds; r++) {
      for (String line : lines) {
        parser.parse("bench", n++, line);
      }
    }
    return n;
  }

  private ParseCost() {}
}
