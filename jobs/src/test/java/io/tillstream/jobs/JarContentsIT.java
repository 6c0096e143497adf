package io.tillstream.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The spark-submit jar: Tillstream, Delta and the Kafka connector inside, nothing a Spark home already ships. */
class JarContentsIT {
  static final Path JAR = Paths.get("target", "tillstream-jobs.jar");

  @Test
  void bundlesTillstreamDeltaAndKafkaButNotSpark() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertEquals("io.tillstream.jobs.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));
      Set<String> entries = jar.stream().map(e -> e.getName()).collect(Collectors.toSet());
      for (String bundled : List.of("io/tillstream/jobs/Main.class", "io/tillstream/run/PipelineRun.class",
          "io/delta/tables/DeltaTable.class", "org/apache/spark/sql/delta/DeltaLog.class",
          "io/delta/storage/LogStore.class", "org/apache/spark/sql/kafka010/KafkaSourceProvider.class",
          "org/apache/kafka/clients/consumer/KafkaConsumer.class",
          "io/tillstream/shaded/pool2/impl/GenericKeyedObjectPool.class",
          "io/tillstream/shaded/jackson/jdk8/Jdk8Module.class", "META-INF/resources/webjars/echarts/"
              + io.tillstream.jobs.report.ReportPage.echartsVersion() + "/dist/echarts.min.js")) {
        assertTrue(entries.contains(bundled), bundled + " is missing");
      }
      for (String prefix : List.of("org/apache/spark/SparkContext", "org/apache/spark/sql/Dataset", "scala/",
          "org/apache/hadoop/fs/", "com/fasterxml/jackson/databind/", "com/fasterxml/jackson/datatype/jdk8/",
          "org/apache/commons/pool2/", "org/apache/logging/log4j/", "org/slf4j/", "org/apache/parquet/",
          "org/xerial/snappy/", "io/netty/")) {
        assertFalse(entries.stream().anyMatch(e -> e.startsWith(prefix)), prefix + " must stay Spark's");
      }
      // Of the ECharts webjar only the one file the report inlines.
      assertEquals(1, entries.stream().filter(e -> e.startsWith("META-INF/resources/webjars/") && !e.endsWith("/"))
          .count());
      // Both data sources register through one merged service file.
      try (InputStream in = jar.getInputStream(
          jar.getEntry("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister"))) {
        String services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(services.contains("org.apache.spark.sql.delta.sources.DeltaDataSource"), services);
        assertTrue(services.contains("org.apache.spark.sql.kafka010.KafkaSourceProvider"), services);
      }
    }
  }
}
