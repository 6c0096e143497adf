package io.tillstream.ingest;

import io.tillstream.config.ConfigError;
import io.tillstream.contract.EventParser;
import io.tillstream.privacy.PiiKey;
import io.tillstream.privacy.PiiTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/** Parses the first lines of every input file on the driver, without Spark, to report parse-level rule ids. */
public final class InputSample {
  /** Records parsed and the count of each parse-level rule id that fired. */
  public record Result(long records, Map<String, Long> issues) {}

  public static Result parseIssues(Configuration hadoop, List<String> files, int linesPerFile) {
    // Tokens are thrown away here, so a throw-away key will do.
    EventParser parser = new EventParser(new PiiTokenizer(PiiKey.of("sample", "sample-only-key-0123456789")));
    Map<String, Long> issues = new TreeMap<>();
    long records = 0;
    for (String file : files) {
      try {
        Iterator<Row> lines = RawLines.linesOf(hadoop, file);
        for (int i = 0; i < linesPerFile && lines.hasNext(); i++) {
          Row raw = lines.next();
          Row parsed = parser.parse(file, raw.getLong(1), raw.getString(2));
          records++;
          for (Object issue : (Object[]) parsed.getAs("parse_issues")) {
            issues.merge(((Row) issue).getString(0), 1L, Long::sum);
          }
        }
      } catch (IOException | UncheckedIOException e) {
        throw new ConfigError("cannot read input " + file + ": " + e.getMessage());
      }
    }
    return new Result(records, issues);
  }

  private InputSample() {}
}
