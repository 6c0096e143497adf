package io.tillstream.lake;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;

/**
 * Repeats one Delta commit that lost an optimistic-concurrency race (ConcurrentAppendException,
 * ConcurrentDeleteReadException, ConcurrentDeleteDeleteException, MetadataChangedException, ... all extend
 * {@link DeltaConcurrentModificationException}) to a concurrent writer, e.g. OPTIMIZE against the stream's
 * MERGE. Only safe for idempotent commits: every Tillstream write is (keyed MERGE, replaceWhere, overwrite,
 * OPTIMIZE, VACUUM), and a commit that failed left no trace in the table.
 */
public final class ConflictRetry {
  private static final Logger LOG = LogManager.getLogger(ConflictRetry.class);
  private static final long FIRST_BACKOFF_MS = 250;

  private final int attempts;
  private final AtomicInteger retried = new AtomicInteger();

  /** {@code attempts}: how often a commit is tried in all (1 = no retry). */
  public ConflictRetry(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
    }
    this.attempts = attempts;
  }

  /** Runs {@code commit}, again after a back-off (250 ms, doubling, with jitter) when it conflicts. */
  public <T> T run(String what, Supplier<T> commit) {
    for (int attempt = 1; ; attempt++) {
      try {
        return commit.get();
      } catch (RuntimeException e) {
        DeltaConcurrentModificationException conflict = conflictIn(e);
        if (conflict == null) {
          throw e;
        }
        if (attempt >= attempts) {
          throw new ConflictingWriteException(what + ": a concurrent writer (another job or maintain) won the "
              + "commit " + attempts + " time(s) in a row (" + conflict.getClass().getSimpleName() + "); nothing "
              + "of this commit was written and repeating it is safe", e);
        }
        long backoff = FIRST_BACKOFF_MS * (1L << Math.min(attempt - 1, 5));
        backoff += ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
        retried.incrementAndGet();
        LOG.warn("{}: commit conflict ({}), attempt {} of {}; retrying in {} ms", what,
            conflict.getClass().getSimpleName(), attempt, attempts, backoff);
        sleep(backoff);
      }
    }
  }

  /** How many conflicting commits were repeated so far. */
  public int retried() {
    return retried.get();
  }

  /** The Delta conflict behind {@code e} (it may come wrapped), or null. */
  static DeltaConcurrentModificationException conflictIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DeltaConcurrentModificationException c) {
        return c;
      }
    }
    return null;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to repeat a conflicting commit", ie);
    }
  }

  /** A commit that kept conflicting with concurrent writers; the message says what and that a rerun is safe. */
  public static final class ConflictingWriteException extends RuntimeException {
    ConflictingWriteException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
