package io.tillstream.jobs.stream;

import io.tillstream.ingest.RawLines;
import io.tillstream.jobs.kafka.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;

/**
 * Re-delivers input files as a stream would receive them: the records in shuffled order, some of them twice,
 * cut into many small files. The versions of one event_id keep their relative order, because which version is
 * accepted is decided by arrival (the first accepted wins); everything else arrives in any order.
 */
public final class ParityDelivery {
  record Result(int files, int records, int duplicates) {}

  static Result write(Configuration hadoop, List<String> inputFiles, Path dir, int batches, double duplicateRate,
      long seed) {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    int singletons = 0;
    for (String file : inputFiles) {
      try {
        Iterator<Row> it = RawLines.linesOf(hadoop, file);
        while (it.hasNext()) {
          String line = it.next().getString(2);
          String id = JsonLines.textField(line, "event_id");
          groups.computeIfAbsent(id == null ? "\u0000" + singletons++ : id, k -> new ArrayList<>()).add(line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Random random = new Random(seed);
    List<List<String>> order = new ArrayList<>(groups.values());
    Collections.shuffle(order, random);
    List<String> sequence = new ArrayList<>();
    order.forEach(sequence::addAll);
    // Copies land anywhere after their original.
    List<Map.Entry<Double, String>> keyed = new ArrayList<>();
    int copies = 0;
    for (int i = 0; i < sequence.size(); i++) {
      keyed.add(Map.entry((double) i, sequence.get(i)));
      if (random.nextDouble() < duplicateRate) {
        keyed.add(Map.entry(i + 0.5 + random.nextDouble() * (sequence.size() - i), sequence.get(i)));
        copies++;
      }
    }
    keyed.sort(Comparator.comparingDouble(Map.Entry::getKey));
    int perFile = Math.max(1, (int) Math.ceil(keyed.size() / (double) Math.max(1, batches)));
    int files = 0;
    try {
      Files.createDirectories(dir);
      for (int start = 0; start < keyed.size(); start += perFile) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Double, String> e : keyed.subList(start, Math.min(keyed.size(), start + perFile))) {
          sb.append(e.getValue()).append('\n');
        }
        files++;
        Files.writeString(dir.resolve(String.format("part-%05d.jsonl", files)), sb.toString(),
            StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(files, keyed.size(), copies);
  }

  private ParityDelivery() {}
}
