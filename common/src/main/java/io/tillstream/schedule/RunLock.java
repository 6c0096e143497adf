package io.tillstream.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An operating-system file lock per lake, so two scheduled runs on one lake never overlap while runs on other
 * lakes go ahead. The lock file, named after a hash of the lake root made absolute, holds who has the lock. The
 * OS releases the lock when its process dies, so no lock is ever stale. It is local to this machine. Within one
 * JVM a held lock is also refused.
 */
public final class RunLock implements AutoCloseable {
  /**
   * Lock files held by this JVM. A second channel on a held file must not even be opened: closing it would drop
   * the process's OS lock on that file (POSIX locks belong to the process; see {@link FileLock}).
   */
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock of {@code lakeRoot}, or empty when another run (process or thread) holds it. */
  public static Optional<RunLock> tryAcquire(Path lockDir, String lakeRoot, String holder) {
    Path file = file(lockDir, lakeRoot).toAbsolutePath().normalize();
    if (!HELD_HERE.add(file)) {
      return Optional.empty();
    }
    FileChannel channel = null;
    try {
      Files.createDirectories(lockDir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException lockedByOtherCode) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        HELD_HERE.remove(file);
        return Optional.empty();
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", since " + Instant.now() + ", "
          + holder + ", lake " + qualified(lakeRoot) + "\n").getBytes(StandardCharsets.UTF_8)));
      channel.force(false);
      return Optional.of(new RunLock(file, channel, lock));
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // the open failed already
        }
      }
      HELD_HERE.remove(file);
      throw new UncheckedIOException("cannot take the run lock " + file, e);
    }
  }

  /**
   * Who holds the lock of {@code lakeRoot}, as written by its holder (empty if unknown). A holder that has just
   * taken the lock may not have written yet, so an empty file is read again for up to half a second.
   */
  public static String holder(Path lockDir, String lakeRoot) {
    String text = "";
    for (int i = 0; i < 10 && text.isEmpty(); i++) {
      try {
        if (i > 0) {
          Thread.sleep(50);
        }
        text = Files.readString(file(lockDir, lakeRoot), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        return "";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return text;
      }
    }
    return text;
  }

  /** The lock file of a lake: lake-<first 16 hex digits of SHA-256 of the absolute lake root>.lock. */
  public static Path file(Path lockDir, String lakeRoot) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(qualified(lakeRoot).getBytes(StandardCharsets.UTF_8));
      return lockDir.resolve("lake-" + HexFormat.of().formatHex(hash, 0, 8) + ".lock");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The lake root as an absolute URI: local paths become file:/..., URIs with a scheme stay as they are. */
  static String qualified(String lakeRoot) {
    java.net.URI uri = new org.apache.hadoop.fs.Path(lakeRoot).toUri();
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
      return "file:" + Paths.get(path.isEmpty() ? "." : path).toAbsolutePath().normalize();
    }
    String s = uri.normalize().toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  public Path file() {
    return file;
  }

  /** Releases the lock; the file stays (deleting it could let two runs lock different files of one name). */
  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the run lock " + file, e);
    } finally {
      HELD_HERE.remove(file);
    }
  }
}
