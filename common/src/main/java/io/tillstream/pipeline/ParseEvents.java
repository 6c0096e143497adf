package io.tillstream.pipeline;

import io.tillstream.contract.EventParser;
import io.tillstream.contract.EventSchemas;
import io.tillstream.privacy.PiiKey;
import io.tillstream.privacy.PiiTokenizer;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/** Raw records (source_file, source_line, value) to typed, PII-tokenized events with their parse issues. */
public final class ParseEvents {

  public static Dataset<Row> apply(Dataset<Row> raw, PiiKey key) {
    return apply(raw, key, false);
  }

  /** {@code redactedInput}: the values were written by this parser (quarantine replay), tokens are kept. */
  public static Dataset<Row> apply(Dataset<Row> raw, PiiKey key, boolean redactedInput) {
    MapPartitionsFunction<Row, Row> parse = rows -> {
      EventParser parser = new EventParser(new PiiTokenizer(key, redactedInput));
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row r = rows.next();
          return parser.parse(r.getString(0), r.getLong(1), r.getString(2));
        }
      };
    };
    return raw.select("source_file", "source_line", "value").mapPartitions(parse, Encoders.row(EventSchemas.PARSED));
  }

  private ParseEvents() {}
}
