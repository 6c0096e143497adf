package io.tillstream.jobs.stream;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A graceful stop of the ingest query: the running micro-batch finishes, the next one does not start. Spark has no
 * such stop (a query runs the next micro-batch at once when it is behind, and stop() interrupts whatever runs), so
 * each micro-batch passes this gate first: after a stop request it waits there, having written nothing, until the
 * query's stop interrupts it.
 */
final class StopGate {
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicBoolean held = new AtomicBoolean();

  /** At the start of a micro-batch: returns when it may run; after a stop request, waits to be interrupted. */
  void enter() throws InterruptedException {
    running.incrementAndGet();
    if (stopRequested.get()) {
      running.decrementAndGet();
      held.set(true);
      while (true) {
        Thread.sleep(60_000); // InterruptedException is what Spark's stop expects from its query thread
      }
    }
  }

  /** At the end of a micro-batch that passed {@link #enter}, whatever its outcome. */
  void exit() {
    running.decrementAndGet();
  }

  void requestStop() {
    stopRequested.set(true);
  }

  boolean stopRequested() {
    return stopRequested.get();
  }

  /**
   * True once a micro-batch waits at the gate: the one before it is committed to the checkpoint too (Spark writes
   * a micro-batch's commit before it plans the next).
   */
  boolean holding() {
    return held.get();
  }

  /** True once stop was requested and no micro-batch is past the gate. */
  boolean drained() {
    return stopRequested.get() && running.get() == 0;
  }
}
