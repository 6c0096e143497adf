package io.tillstream.jobs.stream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The stream's fair-scheduler pools: the micro-batches' ({@code default}) first, then the gold threads'. Spark's
 * fair scheduler offers a free task slot to a pool running fewer tasks than its {@code minShare} before any other,
 * so a micro-batch's tasks no longer wait behind a gold refresh's for half the slots; the gold threads share what
 * the micro-batches leave, daily sales twice as much as the other tables. A {@code spark.scheduler.allocation.file}
 * of the user's wins.
 */
public final class SchedulerPools {
  static final String MICRO_BATCHES = "default";
  static final String GOLD_DAILY_SALES = "gold-daily-sales";
  static final String GOLD_OTHERS = "gold-others";

  private static final String ALLOCATION_FILE = "spark.scheduler.allocation.file";

  /** Sets the fair scheduler and, unless the user gave one, an allocation file of these pools. */
  static void configure(Map<String, String> sparkSettings) {
    sparkSettings.putIfAbsent("spark.scheduler.mode", "FAIR");
    if (!sparkSettings.containsKey(ALLOCATION_FILE) && System.getProperty(ALLOCATION_FILE) == null) {
      sparkSettings.put(ALLOCATION_FILE, write().toString());
    }
  }

  private static String allocations() {
    return "<?xml version=\"1.0\"?>\n<allocations>\n"
        + pool(MICRO_BATCHES, 4, 1_000)
        + pool(GOLD_DAILY_SALES, 2, 0)
        + pool(GOLD_OTHERS, 1, 0)
        + "</allocations>\n";
  }

  private static String pool(String name, int weight, int minShare) {
    return "  <pool name=\"" + name + "\"><schedulingMode>FIFO</schedulingMode><weight>" + weight
        + "</weight><minShare>" + minShare + "</minShare></pool>\n";
  }

  private static Path write() {
    try {
      Path file = Files.createTempFile("tillstream-pools-", ".xml");
      file.toFile().deleteOnExit();
      Files.writeString(file, allocations(), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the fair-scheduler pools to a temporary file", e);
    }
  }

  private SchedulerPools() {}
}
