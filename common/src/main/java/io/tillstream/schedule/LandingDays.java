package io.tillstream.schedule;

import io.tillstream.ingest.InputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The landing folder of one day, {@code <landing>/date=YYYY-MM-DD}, on any Hadoop file system. */
public final class LandingDays {

  /** The day has no event files yet (folder missing or empty): a scheduler may try again later. */
  public static final class NoInput extends RuntimeException {
    public NoInput(String folder, LocalDate day) {
      super("no input for " + day + " yet: " + folder + " is missing or holds no event files");
    }
  }

  public static String folder(String landing, LocalDate day) {
    return landing.replaceAll("/+$", "") + "/date=" + day;
  }

  /** The default day of a daily run: yesterday in {@code zone}. */
  public static LocalDate yesterday(Clock clock, ZoneId zone) {
    return LocalDate.now(clock.withZone(zone)).minusDays(1);
  }

  /** The day's event files, sorted; none when its folder does not exist. */
  public static List<String> eventFiles(Configuration hadoop, String landing, LocalDate day) {
    String folder = folder(landing, day);
    Path path = new Path(folder);
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      if (!fs.exists(path) || !fs.getFileStatus(path).isDirectory()) {
        return List.of();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look at landing folder " + folder, e);
    }
    try {
      return InputFiles.list(hadoop, List.of(folder), null, null);
    } catch (io.tillstream.config.ConfigError e) {
      // A listing that fails on a folder that was there is an I/O problem (retried), not a configuration error.
      throw new UncheckedIOException(new IOException(e.getMessage()));
    }
  }

  private LandingDays() {}
}
