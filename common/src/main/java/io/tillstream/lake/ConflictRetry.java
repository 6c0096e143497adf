package io.tillstream.lake;

import io.tillstream.retry.RetryPolicy;
import java.time.Duration;
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
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

  /** Concurrent writers that lost the same race would collide again at the same moment: a random extra wait. */
  private static final RetryPolicy.Sleeper WITH_JITTER = d -> Thread.sleep(d.toMillis()
      + ThreadLocalRandom.current().nextLong(d.toMillis() / 2 + 1));

  private final RetryPolicy policy;
  private final AtomicInteger retried = new AtomicInteger();

  /** {@code attempts}: how often a commit is tried in all (1 = no retry). */
  public ConflictRetry(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
    }
    this.policy = new RetryPolicy(attempts - 1, FIRST_BACKOFF, WITH_JITTER);
  }

  /** Runs {@code commit}, again after a back-off (250 ms, doubling, with jitter) when it conflicts. */
  public <T> T run(String what, Supplier<T> commit) {
    try {
      return policy.run(commit, e -> conflictIn(e) != null, retry -> {
        retried.incrementAndGet();
        LOG.warn("{}: commit conflict ({}), attempt {} of {}; retrying in about {} ms", what,
            conflictIn(retry.failure()).getClass().getSimpleName(), retry.retry(), retry.retries() + 1,
            retry.delay().toMillis());
      });
    } catch (RetryPolicy.Exhausted e) {
      throw new ConflictingWriteException(what + ": a concurrent writer (another job or maintain) won the "
          + "commit " + e.attempts() + " time(s) in a row (" + conflictIn(e).getClass().getSimpleName()
          + "); nothing of this commit was written and repeating it is safe", e.getCause());
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

  /** A commit that kept conflicting with concurrent writers; the message says what and that a rerun is safe. */
  public static final class ConflictingWriteException extends RuntimeException {
    ConflictingWriteException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
