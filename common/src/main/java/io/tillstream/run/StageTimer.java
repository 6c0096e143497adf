package io.tillstream.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Wall-clock milliseconds per named stage of a run (a stage may be timed several times; times add up). Stages may
 * run on several threads at once.
 */
public final class StageTimer {
  /** Told when each stage starts and ends: what shows a run's progress. */
  public interface Listener {
    void started(String stage);

    void finished(String stage, long millis);
  }

  private static final Listener SILENT = new Listener() {
    @Override
    public void started(String stage) {}

    @Override
    public void finished(String stage, long millis) {}
  };

  private final Map<String, Long> millis = new LinkedHashMap<>();
  private final Listener listener;

  public StageTimer() {
    this(SILENT);
  }

  public StageTimer(Listener listener) {
    this.listener = listener;
  }

  public <T> T time(String stage, Supplier<T> work) {
    listener.started(stage);
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      long ms = (System.nanoTime() - start) / 1_000_000;
      synchronized (millis) {
        millis.merge(stage, ms, Long::sum);
      }
      listener.finished(stage, ms);
    }
  }

  public void time(String stage, Runnable work) {
    time(stage, () -> {
      work.run();
      return null;
    });
  }

  public Map<String, Long> ordered() {
    synchronized (millis) {
      return new LinkedHashMap<>(millis);
    }
  }
}
