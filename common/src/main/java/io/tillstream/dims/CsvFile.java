package io.tillstream.dims;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import io.tillstream.config.ConfigError;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A small CSV file with a header, read whole on the driver with univocity (RFC 4180 quoting), rows in file order
 * with the line each starts on.
 */
public record CsvFile(String path, List<String> header, List<Row> rows, List<String> warnings) {

  /** One data row with its 1-based line number in the file. */
  public record Row(int line, Map<String, String> values) {
    public String get(String column) {
      return values.get(column);
    }
  }

  public static CsvFile read(Configuration hadoop, String path, List<String> requiredColumns) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      if (!fs.exists(p)) {
        throw new ConfigError("reference file " + path + " does not exist (point --dims at a directory with"
            + " stores.csv, products.csv and fx_rates.csv)");
      }
      try (Reader r = new InputStreamReader(fs.open(p), StandardCharsets.UTF_8)) {
        return parse(path, r, requiredColumns);
      }
    } catch (IOException e) {
      throw new ConfigError("cannot read reference file " + path + ": " + e.getMessage());
    }
  }

  static CsvFile parse(String path, Reader r, List<String> requiredColumns) {
    CsvParser parser = new CsvParser(settings());
    parser.beginParsing(r);
    List<String> header = null;
    List<Row> rows = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String[] fields;
    int nextLine = 1;
    while ((fields = parser.parseNext()) != null) {
      // Blank lines are records too (not skipped by the parser), so the text of all records counts every line.
      String text = parser.getContext().currentParsedContent();
      int line = nextLine;
      nextLine += (int) text.chars().filter(c -> c == '\n').count();
      // The parser reads an unclosed quote to the end of the file as one field.
      if (text.chars().filter(c -> c == '"').count() % 2 == 1) {
        throw new ConfigError(path + ":" + line + ": unterminated quoted field");
      }
      List<String> values = Arrays.stream(fields).map(f -> f == null ? "" : f.trim()).toList();
      if (values.stream().allMatch(String::isEmpty) && values.size() == 1) {
        continue;
      }
      if (header == null) {
        header = values;
        for (String c : requiredColumns) {
          if (!header.contains(c)) {
            throw new ConfigError(path + ": header " + header + " lacks column '" + c + "' (expected "
                + requiredColumns + ")");
          }
        }
        continue;
      }
      if (values.size() != header.size()) {
        warnings.add(Dimensions.ROW_IGNORED + ": " + path + ":" + line + ": " + values.size()
            + " fields, the header has " + header.size() + "; row ignored");
        continue;
      }
      Map<String, String> byColumn = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        byColumn.put(header.get(i), values.get(i));
      }
      rows.add(new Row(line, byColumn));
    }
    if (header == null) {
      throw new ConfigError(path + " is empty: it needs a header line " + requiredColumns);
    }
    return new CsvFile(path, header, rows, List.copyOf(warnings));
  }

  /** RFC 4180 with the file's own line separator (LF or CRLF), a byte-order mark skipped, values kept whole. */
  private static CsvParserSettings settings() {
    CsvParserSettings s = new CsvParserSettings();
    s.setLineSeparatorDetectionEnabled(true);
    s.getFormat().setNormalizedNewline('\n');
    s.setSkipEmptyLines(false);
    s.setIgnoreLeadingWhitespaces(false);
    s.setIgnoreTrailingWhitespaces(false);
    s.setMaxCharsPerColumn(-1);
    s.setMaxColumns(10_000);
    return s;
  }
}
