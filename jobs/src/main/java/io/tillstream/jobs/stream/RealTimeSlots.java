package io.tillstream.jobs.stream;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Task slots for the real-time alert query. In real-time mode every Kafka partition is a task that runs for the
 * whole checkpoint interval, mostly waiting for records; on a local master with one slot per core those tasks
 * would take every slot and the ingest query's micro-batches would never run. A local master therefore gets one
 * more task thread per partition (threads, not cores: the alert tasks are idle between records).
 */
final class RealTimeSlots {
  private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(,\\d+)?])?");

  /** The partitions of {@code topic}, or 0 when it does not exist (yet). */
  static int topicPartitions(String bootstrap, String topic) {
    try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", bootstrap,
        "request.timeout.ms", "15000", "default.api.timeout.ms", "30000"))) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
          .partitions().size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return 0;
      }
      throw new IllegalStateException("cannot read the partitions of topic " + topic + " at " + bootstrap + ": "
          + e.getCause().getMessage(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer from Kafka at " + bootstrap + " within 30 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** A local master with {@code extra} more task threads ({@code local[*]} counts the cores); null otherwise. */
  static String widenLocal(String master, int extra, int cores) {
    Matcher m = master == null ? null : LOCAL.matcher(master.trim());
    if (m == null || !m.matches()) {
      return null;
    }
    int threads = m.group(1) == null ? 1 : m.group(1).equals("*") ? cores : Integer.parseInt(m.group(1));
    return "local[" + (threads + extra) + (m.group(2) == null ? "" : m.group(2)) + "]";
  }

  private RealTimeSlots() {}
}
