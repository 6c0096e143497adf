package io.tillstream.ingest;

import io.tillstream.contract.EventSchemas;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads event files into raw records (source_file, source_line, value), one task per file so that line numbers
 * are exact, also inside gzip files. Blank lines are not records.
 */
public final class RawLines {

  public static Dataset<Row> read(SparkSession spark, List<String> files) {
    if (files.isEmpty()) {
      return spark.createDataFrame(List.of(), EventSchemas.RAW);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    JavaRDD<Row> rows = jsc.parallelize(files, files.size())
        .flatMap(file -> linesOf(conf.value(), file));
    return spark.createDataFrame(rows, EventSchemas.RAW);
  }

  /** The non-blank lines of one file as raw records, with their 1-based line numbers (gzip and others too). */
  public static Iterator<Row> linesOf(Configuration conf, String file) throws java.io.IOException {
    Path path = new Path(file);
    FileSystem fs = path.getFileSystem(conf);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    InputStream in = fs.open(path);
    InputStream stream = codec == null ? in : codec.createInputStream(in);
    BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
    return new Iterator<>() {
      long lineNo = 0;
      String next = advance();

      private String advance() {
        try {
          String line;
          while ((line = reader.readLine()) != null) {
            lineNo++;
            if (!line.isBlank()) {
              return line;
            }
          }
          reader.close();
          return null;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("reading " + file + " at line " + lineNo, e);
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Row next() {
        Row r = RowFactory.create(file, lineNo, next);
        next = advance();
        return r;
      }
    };
  }

  private RawLines() {}
}
