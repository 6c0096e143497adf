package io.tillstream.dims;

import io.tillstream.config.ConfigError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** A small CSV file with a header, read whole on the driver (RFC 4180 quoting), rows in file order. */
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
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
        return parse(path, r, requiredColumns);
      }
    } catch (IOException e) {
      throw new ConfigError("cannot read reference file " + path + ": " + e.getMessage());
    }
  }

  static CsvFile parse(String path, BufferedReader r, List<String> requiredColumns) throws IOException {
    List<String> header = null;
    List<Row> rows = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    int lineNo = 0;
    String line;
    while ((line = r.readLine()) != null) {
      lineNo++;
      int startLine = lineNo;
      StringBuilder record = new StringBuilder(line);
      while (openQuotes(record)) {
        String next = r.readLine();
        if (next == null) {
          throw new ConfigError(path + ":" + startLine + ": unterminated quoted field");
        }
        lineNo++;
        record.append('\n').append(next);
      }
      if (record.toString().isBlank()) {
        continue;
      }
      List<String> fields = split(record.toString());
      if (header == null) {
        header = fields.stream().map(h -> h.replace("\uFEFF", "").trim()).toList();
        for (String c : requiredColumns) {
          if (!header.contains(c)) {
            throw new ConfigError(path + ": header " + header + " lacks column '" + c + "' (expected "
                + requiredColumns + ")");
          }
        }
        continue;
      }
      if (fields.size() != header.size()) {
        warnings.add(Dimensions.ROW_IGNORED + ": " + path + ":" + startLine + ": " + fields.size()
            + " fields, the header has " + header.size() + "; row ignored");
        continue;
      }
      Map<String, String> values = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        values.put(header.get(i), fields.get(i).trim());
      }
      rows.add(new Row(startLine, values));
    }
    if (header == null) {
      throw new ConfigError(path + " is empty: it needs a header line " + requiredColumns);
    }
    return new CsvFile(path, header, rows, List.copyOf(warnings));
  }

  private static boolean openQuotes(CharSequence s) {
    boolean open = false;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '"') {
        open = !open;
      }
    }
    return open;
  }

  /** Splits one CSV record (RFC 4180 quoting) into its fields. */
  public static List<String> split(String record) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < record.length(); i++) {
      char c = record.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < record.length() && record.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
