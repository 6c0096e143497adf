package io.tillstream.jobs.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tillstream.testing.SparkTestSession;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.FairSchedulableBuilder;
import org.apache.spark.scheduler.Pool;
import org.apache.spark.scheduler.Schedulable;
import org.apache.spark.scheduler.SchedulingMode;
import org.junit.jupiter.api.Test;

/** The stream's pools as Spark's own fair scheduler reads them: the micro-batches first, then daily sales. */
class SchedulerPoolsTest {
  private static final String FILE = "spark.scheduler.allocation.file";

  @Test
  void sparkReadsThePoolsWithTheMicroBatchesFirst() {
    Map<String, String> settings = new TreeMap<>();
    SchedulerPools.configure(settings);
    assertEquals("FAIR", settings.get("spark.scheduler.mode"));

    Pool root = new Pool("", SchedulingMode.FAIR(), 0, 0);
    SparkConf conf = SparkTestSession.get().sparkContext().conf();
    conf.set(FILE, settings.get(FILE));
    try {
      new FairSchedulableBuilder(root, SparkTestSession.get().sparkContext()).buildPools();
    } finally {
      conf.remove(FILE);
    }
    // minShare, weight: a pool below its minShare is offered a free slot before any other
    assertEquals(List.of(1000, 4), shares(root.getSchedulableByName(SchedulerPools.MICRO_BATCHES)));
    assertEquals(List.of(0, 2), shares(root.getSchedulableByName(SchedulerPools.GOLD_DAILY_SALES)));
    assertEquals(List.of(0, 1), shares(root.getSchedulableByName(SchedulerPools.GOLD_OTHERS)));
  }

  @Test
  void theUsersAllocationFileWins() {
    Map<String, String> settings = new TreeMap<>(Map.of(FILE, "/etc/spark/pools.xml", "spark.scheduler.mode",
        "FIFO"));
    SchedulerPools.configure(settings);
    assertEquals(Map.of(FILE, "/etc/spark/pools.xml", "spark.scheduler.mode", "FIFO"), settings);
  }

  private static List<Integer> shares(Schedulable pool) {
    return List.of(pool.minShare(), pool.weight());
  }
}
