package io.tillstream.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final List<Duration> slept = new ArrayList<>();
  private final List<Integer> announced = new ArrayList<>();
  private final RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(30), slept::add);
  private static final Predicate<Exception> IO_IS_TRANSIENT =
      e -> e instanceof UncheckedIOException || e instanceof java.io.IOException;

  /** Fails with {@code failure} the first {@code failures} calls, then returns the number of calls. */
  private static final class Flaky {
    private final int failures;
    private final RuntimeException failure;
    int calls;

    Flaky(int failures, RuntimeException failure) {
      this.failures = failures;
      this.failure = failure;
    }

    int call() {
      calls++;
      if (calls <= failures) {
        throw failure;
      }
      return calls;
    }
  }

  private static UncheckedIOException ioFailure() {
    return new UncheckedIOException(new java.io.IOException("connection reset"));
  }

  @Test
  void failingTwiceThenSucceedingWaitsThirtyThenSixtySeconds() {
    Flaky flaky = new Flaky(2, ioFailure());
    int result = policy.run(flaky::call, IO_IS_TRANSIENT, r -> announced.add(r.retry()));
    assertEquals(3, result);
    assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(60)), slept);
    assertEquals(List.of(1, 2), announced);
  }

  @Test
  void aPermanentFailureIsThrownAtOnce() {
    IllegalStateException permanent = new IllegalStateException("fail rule fired");
    Flaky flaky = new Flaky(5, permanent);
    assertSame(permanent, assertThrows(IllegalStateException.class,
        () -> policy.run(flaky::call, IO_IS_TRANSIENT, r -> announced.add(r.retry()))));
    assertEquals(1, flaky.calls);
    assertEquals(List.of(), slept);
  }

  @Test
  void transientFailuresBeyondTheRetriesExhaustThePolicy() {
    UncheckedIOException last = ioFailure();
    Flaky flaky = new Flaky(10, last);
    RetryPolicy.Exhausted e = assertThrows(RetryPolicy.Exhausted.class,
        () -> policy.run(flaky::call, IO_IS_TRANSIENT, r -> announced.add(r.retry())));
    assertEquals(4, e.attempts());
    assertEquals(4, flaky.calls);
    assertSame(last, e.getCause());
    assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)), slept);
  }

  @Test
  void zeroRetriesMeansOneAttempt() {
    Flaky flaky = new Flaky(1, ioFailure());
    RetryPolicy once = new RetryPolicy(0, Duration.ofSeconds(30), slept::add);
    assertEquals(1, assertThrows(RetryPolicy.Exhausted.class,
        () -> once.run(flaky::call, IO_IS_TRANSIENT, r -> announced.add(r.retry()))).attempts());
    assertEquals(List.of(), slept);
  }

  @Test
  void theWaitDoublesAndStopsGrowingAtADay() {
    assertEquals(Duration.ofMinutes(2), policy.waitBefore(3));
    assertEquals(Duration.ofDays(1), policy.waitBefore(40));
    assertEquals(Duration.ZERO, new RetryPolicy(3, Duration.ZERO, slept::add).waitBefore(3));
  }

  @Test
  void checkedExceptionsThrownUndeclaredAreCaughtToo() {
    java.io.IOException io = new java.io.IOException("delta log write failed");
    int[] calls = {0};
    int result = policy.run(() -> {
      if (calls[0]++ == 0) {
        throw RetryPolicyTest.<RuntimeException>sneaky(io);
      }
      return calls[0];
    }, IO_IS_TRANSIENT, r -> assertSame(io, r.failure()));
    assertEquals(2, result);
    assertEquals(List.of(Duration.ofSeconds(30)), slept);
  }

  /** Throws a checked exception without declaring it, as Scala code does. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
