package io.tillstream.ingest;

import io.tillstream.config.ConfigError;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Expands input paths (files or directories, any Hadoop file system) into the event files to read. */
public final class InputFiles {
  /** JSON Lines under any usual name, optionally compressed; also extension-less files such as part-00000. */
  private static final Pattern EVENT_FILE =
      Pattern.compile("(?i)([^.]+|.*\\.(json|jsonl|ndjson|txt|log))(\\.gz|\\.bz2|\\.deflate)?$");
  private static final Pattern DATE_FOLDER = Pattern.compile("(?:^|/)date=(\\d{4}-\\d{2}-\\d{2})(?:/|$)");

  /**
   * Event files under {@code paths}, sorted. Hidden files and files starting with '_' are skipped. When
   * {@code from}/{@code to} are given, files under a {@code date=YYYY-MM-DD} folder outside the range are skipped.
   */
  public static List<String> list(Configuration hadoop, List<String> paths, LocalDate from, LocalDate to) {
    return listing(hadoop, paths, from, to).files();
  }

  /** The event files to read, and the files under the inputs that were passed over because of their names. */
  public record Listing(List<String> files, List<String> skipped) {}

  public static Listing listing(Configuration hadoop, List<String> paths, LocalDate from, LocalDate to) {
    TreeSet<String> files = new TreeSet<>();
    TreeSet<String> skipped = new TreeSet<>();
    for (String p : paths) {
      Path path = new Path(p);
      try {
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.exists(path)) {
          throw new ConfigError("input " + p + " does not exist (fix --input)");
        }
        collect(fs, fs.getFileStatus(path), files, skipped, true);
      } catch (IOException e) {
        throw new ConfigError("cannot list input " + p + ": " + e.getMessage());
      }
    }
    List<String> out = new ArrayList<>();
    for (String f : files) {
      if (inRange(f, from, to)) {
        out.add(f);
      }
    }
    return new Listing(out, List.copyOf(skipped));
  }

  private static void collect(FileSystem fs, FileStatus status, TreeSet<String> out, TreeSet<String> skipped,
      boolean explicit) throws IOException {
    String name = status.getPath().getName();
    if (!explicit && (name.startsWith(".") || name.startsWith("_"))) {
      return;
    }
    if (status.isDirectory()) {
      for (FileStatus child : fs.listStatus(status.getPath())) {
        collect(fs, child, out, skipped, false);
      }
    } else if (explicit || EVENT_FILE.matcher(name).matches()) {
      out.add(status.getPath().toString());
    } else {
      skipped.add(status.getPath().toString());
    }
  }

  /** Whether a file found under an input directory is read as events (same rule as {@link #listing}). */
  public static boolean isEventFile(String file) {
    String name = new Path(file).getName();
    return !name.startsWith(".") && !name.startsWith("_") && EVENT_FILE.matcher(name).matches();
  }

  static boolean inRange(String file, LocalDate from, LocalDate to) {
    Matcher m = DATE_FOLDER.matcher(file);
    if (!m.find()) {
      return true;
    }
    LocalDate d = LocalDate.parse(m.group(1));
    return (from == null || !d.isBefore(from)) && (to == null || !d.isAfter(to));
  }

  private InputFiles() {}
}
