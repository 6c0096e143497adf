package io.tillstream.ingest;

import io.tillstream.contract.EventSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads event files into raw records (source_file, source_line, value), one task per file so that line numbers
 * are exact, also inside gzip files. Lines end at LF, CR or CRLF. A line holding only spaces and tabs is not a
 * record; any other line is, even if it is garbage (then the parser quarantines it).
 *
 * <p>A file that cannot be opened or stops being readable (a truncated or corrupt gzip, an I/O error) does not
 * fail the task: the lines read before the damage are records as usual, and the damage becomes one more record
 * at the line where reading stopped, whose value starts with {@link #READ_ERROR} (never JSON, so it lands in
 * quarantine as malformed_record, naming the file and line) followed by the error and the part of the line
 * read before it.
 */
public final class RawLines {
  /** Start of the value of the record that stands for the unreadable rest of a file. */
  public static final String READ_ERROR = "tillstream: cannot read the input from this line on: ";
  /** Start of the value of the record that stands for a line longer than the limit (a file of NULs, say). */
  public static final String LINE_TOO_LONG = "tillstream: the line is too long to read; it starts with: ";
  /** Lines beyond this many bytes are not held in memory; Jackson would refuse far shorter strings anyway. */
  public static final int MAX_LINE_BYTES = 64 << 20;
  private static final int TOO_LONG_PREVIEW_BYTES = 1024;

  public static Dataset<Row> read(SparkSession spark, List<String> files) {
    if (files.isEmpty()) {
      return spark.createDataFrame(List.of(), EventSchemas.RAW);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    JavaRDD<Row> rows = jsc.parallelize(files, files.size())
        .flatMap(file -> linesOf(conf.value(), file));
    return spark.createDataFrame(rows, EventSchemas.RAW);
  }

  /**
   * The records of one file with their 1-based line numbers (gzip and other Hadoop codecs too). Never throws for
   * an unreadable file: see the class comment. The IOException stays declared for existing callers.
   */
  public static Iterator<Row> linesOf(Configuration conf, String file) throws IOException {
    return linesOf(conf, file, MAX_LINE_BYTES);
  }

  static Iterator<Row> linesOf(Configuration conf, String file, int maxLineBytes) {
    LineReader reader;
    try {
      reader = new LineReader(open(conf, file), maxLineBytes);
    } catch (IOException | RuntimeException e) {
      return List.of(RowFactory.create(file, 1L, readError(e, ""))).iterator();
    }
    return new Records(file, reader);
  }

  private static InputStream open(Configuration conf, String file) throws IOException {
    Path path = new Path(file);
    FileSystem fs = path.getFileSystem(conf);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    InputStream in = fs.open(path);
    try {
      return codec == null ? in : codec.createInputStream(in);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static final String READ_SO_FAR = "; the line read so far: ";

  static String readError(Exception e, String partialLine) {
    return READ_ERROR + e.getClass().getSimpleName() + ": " + e.getMessage()
        + (partialLine.isEmpty() ? "" : READ_SO_FAR + partialLine);
  }

  /**
   * A record this reader made in place of what it could not read, split into the reader's note and the input
   * text it carries (possibly empty); null for any other value.
   */
  public static String[] readerNote(String value) {
    if (value.startsWith(LINE_TOO_LONG)) {
      return new String[] {LINE_TOO_LONG.substring(0, LINE_TOO_LONG.length() - 2),
          value.substring(LINE_TOO_LONG.length())};
    }
    if (value.startsWith(READ_ERROR)) {
      int data = value.indexOf(READ_SO_FAR);
      return data < 0 ? new String[] {value, ""}
          : new String[] {value.substring(0, data), value.substring(data + READ_SO_FAR.length())};
    }
    return null;
  }

  /** JSON whitespace only (CR and LF never reach here): such a line carries nothing. */
  static boolean isBlank(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  /** The non-blank lines of one reader as records; a read error ends the file with one READ_ERROR record. */
  private static final class Records implements Iterator<Row> {
    private final String file;
    private final LineReader reader;
    private long lineNo = 0;
    private boolean ended = false;
    private String next;

    Records(String file, LineReader reader) {
      this.file = file;
      this.reader = reader;
      this.next = advance();
    }

    private String advance() {
      if (ended) {
        return null;
      }
      try {
        String line;
        while ((line = reader.readLine()) != null) {
          lineNo++;
          if (!isBlank(line)) {
            return line;
          }
        }
        end();
        return null;
      } catch (IOException | RuntimeException e) {
        lineNo++;
        end();
        return readError(e, reader.partialLine());
      }
    }

    private void end() {
      ended = true;
      try {
        reader.close();
      } catch (IOException | RuntimeException ignored) {
        // Nothing more is read from it; a failing close adds nothing to what is recorded already.
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Row next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      Row r = RowFactory.create(file, lineNo, next);
      next = advance();
      return r;
    }
  }

  /**
   * Lines ending at LF, CR or CRLF (as BufferedReader.readLine), each decoded from UTF-8 on its own (invalid bytes
   * become U+FFFD). Reads bytes, so a read error loses nothing already read: the partial line stays available. A
   * line longer than the limit is read past and given as {@link #LINE_TOO_LONG} with its first bytes.
   */
  static final class LineReader implements AutoCloseable {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private final int maxLineBytes;
    private boolean tooLong;
    private byte[] line = new byte[256];
    private int lineLength;
    private int pos;
    private int len;
    private boolean skipLf;

    LineReader(InputStream in, int maxLineBytes) {
      this.in = in;
      this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its terminator, or null at the end of the input. */
    String readLine() throws IOException {
      lineLength = 0;
      tooLong = false;
      while (true) {
        if (pos == len) {
          len = Math.max(in.read(buf, 0, buf.length), 0);
          pos = 0;
          if (len == 0) {
            return lineLength == 0 && !tooLong ? null : partialLine();
          }
        }
        if (skipLf) {
          skipLf = false;
          if (buf[pos] == '\n') {
            pos++;
            continue;
          }
        }
        int start = pos;
        while (pos < len && buf[pos] != '\n' && buf[pos] != '\r') {
          pos++;
        }
        append(start, pos - start);
        if (pos < len) {
          skipLf = buf[pos] == '\r';
          pos++;
          return partialLine();
        }
      }
    }

    private void append(int from, int count) {
      if (lineLength + count > maxLineBytes) {
        tooLong = true;
        count = maxLineBytes - lineLength;
      }
      if (lineLength + count > line.length) {
        line = java.util.Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, lineLength + count)));
      }
      System.arraycopy(buf, from, line, lineLength, count);
      lineLength += count;
    }

    /** The current line as read so far (all of it once readLine returned it). */
    String partialLine() {
      if (tooLong) {
        return LINE_TOO_LONG + new String(line, 0, Math.min(lineLength, TOO_LONG_PREVIEW_BYTES),
            StandardCharsets.UTF_8);
      }
      return new String(line, 0, lineLength, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private RawLines() {}
}
