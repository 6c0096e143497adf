package io.tillstream.contract;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createDecimalType;
import static org.apache.spark.sql.types.DataTypes.createStructField;
import static org.apache.spark.sql.types.DataTypes.createStructType;

import java.util.List;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/**
 * Spark schemas of the event contract. Decimal sizes are chosen so that every product stays exact in Spark:
 * a line amount (DECIMAL(21,6)) times a rate (DECIMAL(16,10)) is a DECIMAL(38,16) without precision loss.
 */
public final class EventSchemas {
  /** Unit price and discount in the event currency; the parser rejects values beyond it. */
  public static final DecimalType PRICE = createDecimalType(15, 6);
  /** Line gross and net in the event currency. */
  public static final DecimalType LINE_AMOUNT = createDecimalType(21, 6);
  public static final DecimalType FX_RATE = createDecimalType(16, 10);
  /** Amounts in the reporting currency, exact: LINE_AMOUNT x FX_RATE. */
  public static final DecimalType REPORTING_AMOUNT = createDecimalType(38, 16);
  public static final DecimalType GOLD_AMOUNT = createDecimalType(18, 2);

  /** A raw input record: one line of a file or one Kafka message. */
  public static final StructType RAW = createStructType(List.of(
      createStructField("source_file", StringType, false),
      createStructField("source_line", LongType, false),
      createStructField("value", StringType, true)));

  public static final StructType ISSUE = createStructType(List.of(
      createStructField("rule", StringType, true),
      createStructField("detail", StringType, true)));

  public static final StructType ITEM = createStructType(List.of(
      createStructField("line_no", IntegerType, false),
      createStructField("sku", StringType, true),
      createStructField("quantity", LongType, true),
      createStructField("unit_price", PRICE, true),
      createStructField("discount", PRICE, true),
      createStructField("gross", LINE_AMOUNT, true),
      createStructField("net", LINE_AMOUNT, true)));

  /** What {@link EventParser} produces for each raw record. */
  public static final StructType PARSED = createStructType(List.of(
      createStructField("record_id", StringType, false),
      createStructField("source_file", StringType, false),
      createStructField("source_line", LongType, false),
      createStructField("raw_record", StringType, true),
      createStructField("pii_key_id", StringType, false),
      createStructField("content_hash", StringType, true),
      createStructField("event_id", StringType, true),
      createStructField("event_type", StringType, true),
      createStructField("event_time_text", StringType, true),
      createStructField("event_time", TimestampType, true),
      createStructField("order_id", StringType, true),
      createStructField("store_id", StringType, true),
      createStructField("channel", StringType, true),
      createStructField("currency", StringType, true),
      createStructField("currency_is_iso", BooleanType, false),
      createStructField("customer_token", StringType, true),
      createStructField("payment_method", StringType, true),
      createStructField("card_token", StringType, true),
      createStructField("card_last4", StringType, true),
      createStructField("items", createArrayType(ITEM), true),
      createStructField("parse_issues", createArrayType(ISSUE), false)));

  private EventSchemas() {}
}
