package io.tillstream.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.tillstream.contract.EventSchemas;
import org.apache.spark.sql.Column;

/** Shared column helpers of the gold tables: sale/refund sums kept exact, rounded half-up only at the end. */
final class GoldAmounts {

  static Column sales() {
    return col("event_type").equalTo("sale");
  }

  static Column refunds() {
    return col("event_type").equalTo("refund");
  }

  /** Exact sum over sale lines, 0 when there are none. */
  static Column saleSum(String amount) {
    return coalesce(sum(when(sales(), col(amount))), lit(0).cast(EventSchemas.REPORTING_AMOUNT));
  }

  static Column refundSum(String amount) {
    return coalesce(sum(when(refunds(), col(amount))), lit(0).cast(EventSchemas.REPORTING_AMOUNT));
  }

  /** Round half-up to 2 places as DECIMAL(18,2). */
  static Column money(Column exact) {
    return round(exact, 2).cast(EventSchemas.GOLD_AMOUNT);
  }

  private GoldAmounts() {}
}
