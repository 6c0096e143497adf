package io.tillstream.run;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Independent Spark writes run side by side: each on a new thread, which inherits the caller's Spark session and
 * job properties (its scheduler pool, the stream's query id); a pooled thread would carry those of whoever created
 * it. Small jobs and Delta commits spend much of their time on the driver (planning, the log), and that overlaps.
 */
final class SideBySide {

  static <T> CompletableFuture<T> start(String name, Supplier<T> work) {
    return CompletableFuture.supplyAsync(work, r -> new Thread(r, name).start());
  }

  /**
   * Waits until every one has ended, then returns their results in order or rethrows the first failure as it was
   * thrown (Scala's undeclared ones too).
   */
  static <T> List<T> awaitAll(List<CompletableFuture<T>> running) {
    awaitQuietly(running);
    try {
      return running.stream().map(CompletableFuture::join).toList();
    } catch (CompletionException e) {
      throw SideBySide.<RuntimeException>rethrow(e.getCause() == null ? e : e.getCause());
    }
  }

  /** Waits until every one has ended, ignoring their failures (the caller has a failure of its own to report). */
  static void awaitQuietly(List<? extends CompletableFuture<?>> running) {
    running.forEach(r -> r.handle((ok, failed) -> null).join());
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E rethrow(Throwable t) throws E {
    throw (E) t;
  }

  private SideBySide() {}
}
