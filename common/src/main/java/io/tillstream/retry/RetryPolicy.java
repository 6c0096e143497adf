package io.tillstream.retry;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs an attempt again after a transient failure: up to {@code retries} more times, waiting {@code backoff}
 * before the first retry and twice as long before each further one. Permanent failures are thrown at once.
 */
public final class RetryPolicy {
  /** Waits; injected so tests do not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  public static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

  /** What is about to be retried: retry number (1-based), the wait before it, and the failure that caused it. */
  public record Retry(int retry, int retries, Duration delay, Exception failure) {}

  /** Every attempt failed transiently; the cause is the last failure. */
  public static final class Exhausted extends RuntimeException {
    private final int attempts;

    Exhausted(int attempts, Exception last) {
      super(attempts + " attempt(s) failed, the last with: " + last.getMessage(), last);
      this.attempts = attempts;
    }

    public int attempts() {
      return attempts;
    }
  }

  private final int retries;
  private final Duration backoff;
  private final Sleeper sleeper;

  public RetryPolicy(int retries, Duration backoff, Sleeper sleeper) {
    if (retries < 0 || backoff.isNegative()) {
      throw new IllegalArgumentException("retries and backoff must not be negative");
    }
    this.retries = retries;
    this.backoff = backoff;
    this.sleeper = sleeper;
  }

  /** The wait before retry {@code n} (1-based): backoff x 2^(n-1), capped at a day. */
  public Duration waitBefore(int n) {
    Duration cap = Duration.ofDays(1);
    Duration d = backoff;
    for (int i = 1; i < n && d.compareTo(cap) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(cap) > 0 ? cap : d;
  }

  /**
   * The attempt's result, retrying while it throws a failure {@code isTransient} accepts; {@code onRetry} hears
   * of each retry before the wait. Throws a permanent failure (checked ones wrapped), and {@link Exhausted} after
   * the last retry. Checked exceptions are caught too: Scala code (Spark, Delta) throws them undeclared.
   */
  public <T> T run(Supplier<T> attempt, Predicate<Exception> isTransient, Consumer<Retry> onRetry) {
    for (int n = 0; ; n++) {
      try {
        return attempt.get();
      } catch (Exception e) {
        if (!isTransient.test(e)) {
          throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        if (n == retries) {
          throw new Exhausted(n + 1, e);
        }
        Retry retry = new Retry(n + 1, retries, waitBefore(n + 1), e);
        onRetry.accept(retry);
        try {
          sleeper.sleep(retry.delay());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new Exhausted(n + 1, e);
        }
      }
    }
  }
}
