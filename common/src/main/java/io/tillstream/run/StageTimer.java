package io.tillstream.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Wall-clock milliseconds per named stage of a run (a stage may be timed several times; times add up). */
public final class StageTimer {
  private final Map<String, Long> millis = new LinkedHashMap<>();

  public <T> T time(String stage, Supplier<T> work) {
    long start = System.nanoTime();
    try {
      return work.get();
    } finally {
      millis.merge(stage, (System.nanoTime() - start) / 1_000_000, Long::sum);
    }
  }

  public void time(String stage, Runnable work) {
    time(stage, () -> {
      work.run();
      return null;
    });
  }

  public Map<String, Long> ordered() {
    return new LinkedHashMap<>(millis);
  }
}
