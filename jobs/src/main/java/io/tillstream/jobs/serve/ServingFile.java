package io.tillstream.jobs.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How {@code sql} finds a running {@code serve} of the same lake without being told: {@code serve} writes its
 * address to {@code <lake>/ops/_serving} while it runs, and {@code sql} uses it when something answers there. A
 * file left by a server that was killed points at a closed port and is ignored.
 */
public final class ServingFile {
  static final String NAME = "ops/_serving";
  private static final int CONNECT_TIMEOUT_MS = 300;

  /** Records {@code url} (sc://HOST:PORT) for the lake at {@code root}; removed when this JVM exits normally. */
  static void write(String root, String url) {
    Path file = new Path(root, NAME);
    try {
      FileSystem fs = file.getFileSystem(new Configuration());
      try (FSDataOutputStream out = fs.create(file, true)) {
        out.write((url + "\n").getBytes(StandardCharsets.UTF_8));
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          fs.delete(file, false);
        } catch (IOException e) {
          // the next sql finds the port closed and ignores the file
        }
      }, "tillstream-serving-file"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the server's address in " + file, e);
    }
  }

  /** The address of a server of the lake at {@code root} that accepts connections now, if there is one. */
  public static Optional<String> find(String root) {
    Path file = new Path(root, NAME);
    try {
      FileSystem fs = file.getFileSystem(new Configuration());
      if (!fs.exists(file)) {
        return Optional.empty();
      }
      String url;
      try (var in = fs.open(file)) {
        url = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      return answers(url) ? Optional.of(url) : Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty(); // no readable address: run locally
    }
  }

  private static boolean answers(String url) {
    URI uri = URI.create(url.replaceFirst("^sc://", "http://"));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private ServingFile() {}
}
