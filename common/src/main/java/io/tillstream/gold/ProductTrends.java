package io.tillstream.gold;

import static io.tillstream.gold.GoldAmounts.money;
import static io.tillstream.gold.GoldAmounts.sales;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * gold.product_trends: sku x business date (days with sales) with units, net, the 7-day moving averages (days
 * without sales count as 0), a trend score (net of the last 7 days over the 7 before, minus 1) and the rank of
 * the sku by net within its category that day.
 */
public final class ProductTrends {
  /** Days of history a trend row looks back on, its own day excluded. */
  public static final int LOOKBACK_DAYS = 13;

  /** Rows for business dates in [from, to]; {@code lines} must cover [from - 13 days, to]. */
  public static Dataset<Row> compute(Dataset<Row> lines, LocalDate from, LocalDate to) {
    Dataset<Row> daily = lines.filter(sales())
        .groupBy("business_date", "sku")
        .agg(max("category").as("category"), sum("quantity").as("units_sold"), sum("net_amount").as("net_exact"))
        .withColumn("day", datediff(col("business_date"), lit(Date.valueOf("1970-01-01"))));
    WindowSpec bySku = Window.partitionBy("sku").orderBy("day");
    Column last7 = sum("net_exact").over(bySku.rangeBetween(-6, 0));
    Column prev7 = sum("net_exact").over(bySku.rangeBetween(-13, -7));
    Column units7 = sum("units_sold").over(bySku.rangeBetween(-6, 0));
    return daily
        .withColumn("last7", last7)
        .withColumn("prev7", prev7)
        .withColumn("units7", units7)
        .filter(col("business_date").between(Date.valueOf(from), Date.valueOf(to)))
        .withColumn("rank_in_category", rank().over(Window.partitionBy("business_date", "category")
            .orderBy(col("net_exact").desc())))
        .select(col("business_date"), col("sku"), col("category"), col("units_sold"),
            money(col("net_exact")).as("net_amount"),
            money(col("last7").divide(7)).as("net_amount_ma7"),
            round(col("units7").cast("decimal(20,0)").divide(7), 2).cast("decimal(18,2)").as("units_sold_ma7"),
            when(col("prev7").gt(0), round(col("last7").divide(col("prev7")).minus(1), 4).cast("decimal(18,4)"))
                .as("trend_score"),
            col("rank_in_category").cast("int").as("rank_in_category"));
  }

  private ProductTrends() {}
}
