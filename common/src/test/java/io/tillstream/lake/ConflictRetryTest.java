package io.tillstream.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.exceptions.ConcurrentAppendException;
import io.delta.exceptions.ConcurrentDeleteReadException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConflictRetryTest {

  @Test
  void aConflictingCommitIsRepeatedUntilItGoesThrough() {
    ConflictRetry retry = new ConflictRetry(5);
    AtomicInteger calls = new AtomicInteger();
    long version = retry.run("silver.sales_lines merge", () -> {
      if (calls.incrementAndGet() == 1) {
        throw new ConcurrentAppendException("Files were added to partition [business_date=2025-03-01]");
      }
      if (calls.get() == 2) {
        // Delta conflicts can arrive wrapped.
        throw new RuntimeException(new ConcurrentDeleteReadException("a file read was deleted by OPTIMIZE"));
      }
      return 7L;
    });
    assertEquals(7L, version);
    assertEquals(3, calls.get());
    assertEquals(2, retry.retried());
  }

  @Test
  void givesUpAfterTheAttemptsWithAMessageSayingARerunIsSafe() {
    ConflictRetry retry = new ConflictRetry(2);
    AtomicInteger calls = new AtomicInteger();
    ConflictRetry.ConflictingWriteException e = assertThrows(ConflictRetry.ConflictingWriteException.class,
        () -> retry.run("gold.daily_sales replaceWhere", () -> {
          calls.incrementAndGet();
          throw new ConcurrentDeleteReadException("conflict");
        }));
    assertEquals(2, calls.get());
    assertTrue(e.getMessage().startsWith("gold.daily_sales replaceWhere: a concurrent writer (another job or "
        + "maintain) won the commit 2 time(s) in a row (ConcurrentDeleteReadException)"), e.getMessage());
    assertTrue(e.getMessage().contains("repeating it is safe"), e.getMessage());
  }

  @Test
  void otherFailuresAreNotRepeated() {
    ConflictRetry retry = new ConflictRetry(5);
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("disk full");
    assertSame(boom, assertThrows(IllegalStateException.class, () -> retry.run("x", () -> {
      calls.incrementAndGet();
      throw boom;
    })));
    assertEquals(1, calls.get());
    assertEquals(0, retry.retried());
  }
}
