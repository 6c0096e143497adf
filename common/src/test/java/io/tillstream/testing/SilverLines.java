package io.tillstream.testing;

import io.tillstream.lake.Table;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Builds silver.sales_lines rows inline (the columns the gold tables read) for gold unit tests. */
public final class SilverLines {
  /** The silver.sales_lines columns the gold tables read, typed as the table declares them. */
  public static final StructType SCHEMA = new StructType(Stream.of("event_id", "event_type", "order_id", "store_id",
      "country", "region", "business_date", "event_time", "customer_token", "card_token", "line_no", "sku",
      "category", "quantity", "gross_amount", "discount_amount", "net_amount")
      .map(Table.SILVER_SALES_LINES.schema()::apply).toArray(StructField[]::new));

  private final List<Row> rows = new ArrayList<>();

  /** Adds a line; net = gross - discount. {@code time} is an ISO instant (UTC). */
  public SilverLines line(String eventId, String type, String order, String store, String date, String time,
      String customer, String card, String sku, String category, long quantity, String gross, String discount) {
    BigDecimal g = new BigDecimal(gross).setScale(16);
    BigDecimal d = new BigDecimal(discount).setScale(16);
    String country = store.substring(0, 2);
    rows.add(RowFactory.create(eventId, type, order, store, country, country.equals("US") ? "AMER" : "EMEA",
        Date.valueOf(date), Timestamp.from(Instant.parse(time)), customer, card, rows.size() + 1, sku, category,
        quantity, g, d, g.subtract(d)));
    return this;
  }

  public Dataset<Row> build(SparkSession spark) {
    return spark.createDataFrame(rows, SCHEMA);
  }
}
