package io.tillstream.ingest;

import io.tillstream.config.ConfigError;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
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

  /**
   * The event files to read, their size in bytes as stored (compressed files count compressed), and the files
   * under the inputs that were passed over because of their names.
   */
  public record Listing(List<String> files, long bytes, List<String> skipped) {}

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
        collect(fs, fs.getFileStatus(path), files, skipped, true, new HashSet<>());
      } catch (IOException e) {
        throw new ConfigError("cannot list input " + p + ": " + e.getMessage());
      }
    }
    List<String> out = new ArrayList<>();
    long bytes = 0;
    for (String f : files) {
      if (inRange(f, from, to)) {
        bytes += sizeOfReadable(hadoop, f);
        out.add(f);
      }
    }
    return new Listing(out, bytes, List.copyOf(skipped));
  }

  /** {@code ancestors}: real paths of the local directories above, to stop at a symbolic link loop. */
  private static void collect(FileSystem fs, FileStatus status, TreeSet<String> out, TreeSet<String> skipped,
      boolean explicit, Set<java.nio.file.Path> ancestors) throws IOException {
    String name = status.getPath().getName();
    if (!explicit && (name.startsWith(".") || name.startsWith("_"))) {
      return;
    }
    if (status.isDirectory()) {
      java.nio.file.Path real = realLocalPath(fs, status.getPath());
      if (real != null && !ancestors.add(real)) {
        throw new ConfigError("input " + status.getPath() + " is a symbolic link loop (it leads back to " + real
            + "): remove the link");
      }
      FileStatus[] children = fs.listStatus(status.getPath());
      failOnUnlisted(fs, status.getPath(), children);
      for (FileStatus child : children) {
        collect(fs, child, out, skipped, false, ancestors);
      }
      if (real != null) {
        ancestors.remove(real);
      }
    } else if (explicit || EVENT_FILE.matcher(name).matches()) {
      out.add(status.getPath().toString());
    } else {
      skipped.add(status.getPath().toString());
    }
  }

  /** The file's size; an input that cannot be opened fails the run before it starts, naming the file (exit 2). */
  private static long sizeOfReadable(Configuration hadoop, String file) {
    Path path = new Path(file);
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      // Opening is the check: permissions alone do not tell (root reads a file of mode 000).
      fs.open(path).close();
      return fs.getFileStatus(path).getLen();
    } catch (IOException e) {
      throw new ConfigError("cannot read input " + file + ": " + e.getMessage());
    }
  }

  /**
   * Hadoop's local listing silently leaves out entries it cannot stat, such as a broken symbolic link: such an
   * entry fails the run instead of vanishing.
   */
  private static void failOnUnlisted(FileSystem fs, Path dir, FileStatus[] listed) {
    if (!(fs instanceof LocalFileSystem local)) {
      return;
    }
    String[] names = local.pathToFile(dir).list();
    if (names == null) {
      return;
    }
    Set<String> listedNames = new HashSet<>();
    for (FileStatus s : listed) {
      listedNames.add(s.getPath().getName());
    }
    for (String n : names) {
      if (!listedNames.contains(n) && !n.startsWith(".") && !n.startsWith("_")) {
        throw new ConfigError("cannot read input " + new Path(dir, n) + ": it cannot be opened (a broken symbolic"
            + " link?)");
      }
    }
  }

  private static java.nio.file.Path realLocalPath(FileSystem fs, Path dir) throws IOException {
    return fs instanceof LocalFileSystem local ? local.pathToFile(dir).toPath().toRealPath() : null;
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
