package io.tillstream.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locks within one JVM (the IT takes them from two processes). */
class RunLockTest {
  @TempDir
  Path locks;
  @TempDir
  Path lakes;

  @Test
  void oneLakeOneHolderOtherLakesGoAheadAndCloseReleases() {
    String lakeA = lakes.resolve("a").toString();
    String lakeB = lakes.resolve("b").toString();
    Optional<RunLock> first = RunLock.tryAcquire(locks, lakeA, "tillstream daily --date 2026-03-10");
    assertTrue(first.isPresent());
    // Another spelling of the same lake is the same lock.
    assertTrue(RunLock.tryAcquire(locks, "file:" + lakeA + "/", "second").isEmpty());
    assertTrue(RunLock.tryAcquire(locks, lakes.resolve("x/../a").toString(), "third").isEmpty());
    String holder = RunLock.holder(locks, lakeA);
    assertTrue(holder.startsWith("pid " + ProcessHandle.current().pid() + ", since "), holder);
    assertTrue(holder.contains("tillstream daily --date 2026-03-10, lake file:" + lakeA), holder);

    Optional<RunLock> other = RunLock.tryAcquire(locks, lakeB, "tillstream backfill");
    assertTrue(other.isPresent());
    assertNotEquals(first.get().file(), other.get().file());
    other.get().close();

    first.get().close();
    assertEquals("", RunLock.holder(locks, lakeA));
    try (RunLock again = RunLock.tryAcquire(locks, lakeA, "later").orElseThrow()) {
      assertEquals(first.get().file(), again.file());
    }
  }

  @Test
  void lakeRootsAreMadeAbsolute() {
    String cwd = Path.of("").toAbsolutePath().toString();
    assertEquals("file:" + cwd + "/lake", RunLock.qualified("lake"));
    assertEquals("file:/data/lake", RunLock.qualified("file:///data/lake/"));
    assertEquals("s3a://bucket/lake", RunLock.qualified("s3a://bucket/lake/"));
    assertEquals(RunLock.file(locks, "lake"), RunLock.file(locks, cwd + "/lake"));
  }
}
