package io.tillstream.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tillstream.testing.SparkTestSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class TableTest {
  private final SparkSession spark = SparkTestSession.get();

  @Test
  void rowsAreConformedToTheDeclaredOrderAndTypes() {
    Dataset<Row> rows = spark.sql("SELECT 'check' AS details, 'e1' AS event_id, 'large_order' AS rule_id,"
        + " 'o1' AS order_id, 'S1' AS store_id, DATE'2025-03-01' AS business_date,"
        + " TIMESTAMP'2025-03-01 10:00:00' AS event_time, CAST(NULL AS STRING) AS card_token");
    Dataset<Row> conformed = Table.GOLD_SUSPICIOUS_TRANSACTIONS.conform(rows);
    assertEquals(Table.GOLD_SUSPICIOUS_TRANSACTIONS.schema().simpleString(), conformed.schema().simpleString());
    assertEquals("[large_order,e1,o1,S1,2025-03-01,2025-03-01 10:00:00.0,null,check]", conformed.head().toString());
    // A narrower type is cast to the declared one: an INT quantity is written as BIGINT.
    Dataset<Row> daily = spark.sql("SELECT DATE'2025-03-01' AS business_date, 'S1' AS store_id, 'x' AS category,"
        + " 1 AS orders, 2 AS units_sold, 1.5 AS gross_amount, 0 AS discount_amount, 1.5 AS net_amount,"
        + " 0 AS refund_amount, 1.5 AS net_after_refunds, 1 AS customers");
    assertEquals(Table.GOLD_DAILY_SALES.schema().simpleString(),
        Table.GOLD_DAILY_SALES.conform(daily).schema().simpleString());
  }

  @Test
  void aValueTheDeclaredTypeCannotHoldFails() {
    Dataset<Row> daily = spark.sql("SELECT DATE'2025-03-01' AS business_date, 'S1' AS store_id, 'x' AS category,"
        + " 1 AS orders, 2 AS units_sold, CAST(1.505 AS DECIMAL(18,3)) AS gross_amount, 0 AS discount_amount,"
        + " 1.5 AS net_amount, 0 AS refund_amount, 1.5 AS net_after_refunds, 1 AS customers");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Table.GOLD_DAILY_SALES.conform(daily));
    assertEquals("gold.daily_sales.gross_amount: rows hold DECIMAL(18,3), which the declared DECIMAL(18,2) cannot"
        + " hold without loss", e.getMessage());
  }

  @Test
  void aMissingOrUndeclaredColumnFailsNamingIt() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Table.GOLD_SUSPICIOUS_TRANSACTIONS
        .conform(spark.sql("SELECT 'e1' AS event_id, 1 AS surprise")));
    assertEquals(true, e.getMessage().startsWith("gold.suspicious_transactions: rows do not match the table's"
        + " declared schema (missing [rule_id, order_id, store_id, business_date, event_time, card_token, details],"
        + " not declared [surprise])"), e.getMessage());
  }
}
