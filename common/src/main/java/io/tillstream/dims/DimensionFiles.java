package io.tillstream.dims;

import io.tillstream.config.ConfigError;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One look at the three reference files of a dims folder: for each its modification time, length, SHA-256 of the
 * content and whether its last line is complete. Two looks are equal exactly when no file changed in between.
 */
public record DimensionFiles(List<DimensionFiles.FileVersion> files) {
  public static final List<String> NAMES = List.of("stores.csv", "products.csv", "fx_rates.csv");

  /** One file as seen: modification time (epoch ms), length in bytes, SHA-256 (hex), last byte a newline. */
  public record FileVersion(String name, long modifiedMillis, long length, String sha256, boolean endsWithNewline) {
    /** stores.csv@2026-03-14T09:12:44.120Z 612B sha256:0123456789ab */
    public String describe() {
      return name + "@" + Instant.ofEpochMilli(modifiedMillis) + " " + length + "B sha256:" + sha256.substring(0, 12);
    }
  }

  /** Reads the three files of {@code dir} (any Hadoop URI); a missing or unreadable file is a {@link ConfigError}. */
  public static DimensionFiles look(Configuration hadoop, String dir) {
    String base = dir.endsWith("/") ? dir : dir + "/";
    List<FileVersion> files = new ArrayList<>();
    for (String name : NAMES) {
      files.add(version(hadoop, new Path(base + name), name));
    }
    return new DimensionFiles(List.copyOf(files));
  }

  private static FileVersion version(Configuration hadoop, Path p, String name) {
    try {
      FileSystem fs = p.getFileSystem(hadoop);
      FileStatus status = fs.getFileStatus(p);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long length = 0;
      int last = -1;
      try (InputStream in = fs.open(p)) {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
          sha.update(buf, 0, n);
          length += n;
          last = buf[n - 1];
        }
      }
      // The length read, not the listed one: on object stores the listing may lag behind the content.
      return new FileVersion(name, status.getModificationTime(), length, HexFormat.of().formatHex(sha.digest()),
          last == '\n');
    } catch (FileNotFoundException e) {
      throw new ConfigError("reference file " + p + " does not exist (point --dims at a directory with"
          + " stores.csv, products.csv and fx_rates.csv)");
    } catch (IOException e) {
      throw new ConfigError("cannot read reference file " + p + ": " + e.getMessage());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What ops.runs records: "stores.csv@... 612B sha256:...; products.csv@...; fx_rates.csv@...". */
  public String describe() {
    return files.stream().map(FileVersion::describe).collect(Collectors.joining("; "));
  }

  /** Why the files look half-written (an empty file, a last line without its newline); empty when none does. */
  public List<String> incomplete() {
    List<String> reasons = new ArrayList<>();
    for (FileVersion f : files) {
      if (f.length() == 0) {
        reasons.add(f.name() + " is empty");
      } else if (!f.endsWithNewline()) {
        reasons.add(f.name() + " does not end with a newline (still being written?)");
      }
    }
    return reasons;
  }
}
