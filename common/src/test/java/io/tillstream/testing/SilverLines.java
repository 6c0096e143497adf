package io.tillstream.testing;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import io.tillstream.contract.EventSchemas;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Builds silver.sales_lines rows inline (the columns the gold tables read) for gold unit tests. */
public final class SilverLines {
  public static final StructType SCHEMA = createStructType(List.of(
      createStructField("event_id", StringType, false),
      createStructField("event_type", StringType, false),
      createStructField("order_id", StringType, false),
      createStructField("store_id", StringType, false),
      createStructField("country", StringType, true),
      createStructField("region", StringType, true),
      createStructField("business_date", DateType, false),
      createStructField("event_time", TimestampType, false),
      createStructField("customer_token", StringType, true),
      createStructField("card_token", StringType, true),
      createStructField("line_no", IntegerType, false),
      createStructField("sku", StringType, false),
      createStructField("category", StringType, false),
      createStructField("quantity", LongType, false),
      createStructField("gross_amount", EventSchemas.REPORTING_AMOUNT, false),
      createStructField("discount_amount", EventSchemas.REPORTING_AMOUNT, false),
      createStructField("net_amount", EventSchemas.REPORTING_AMOUNT, false)));

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
