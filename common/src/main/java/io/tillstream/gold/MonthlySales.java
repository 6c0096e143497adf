package io.tillstream.gold;

import static io.tillstream.gold.GoldAmounts.money;
import static io.tillstream.gold.GoldAmounts.refundSum;
import static io.tillstream.gold.GoldAmounts.saleSum;
import static io.tillstream.gold.GoldAmounts.sales;
import static org.apache.spark.sql.functions.add_months;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Table;
import java.time.LocalDate;
import java.util.List;
import java.util.SortedSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * gold.monthly_sales: month x country x region x category with net, refunds, orders, growth of net over the
 * previous calendar month (percent, null without a previous month) and the top 5 skus by net.
 */
public final class MonthlySales implements GoldTable {
  static final int TOP_SKUS = 5;
  private static final List<String> KEYS = List.of("month", "country", "region", "category");

  @Override
  public Table table() {
    return Table.GOLD_MONTHLY_SALES;
  }

  @Override
  public List<String> silverColumns() {
    return List.of("business_date", "country", "region", "category", "sku", "event_type", "order_id", "quantity",
        "net_amount");
  }

  /** A touched date changes its month and, through growth, the next one; each needs its previous month too. */
  @Override
  public DateRanges silverNeeded(SortedSet<LocalDate> touched) {
    return DateRanges.union(touched, d -> new DateRanges.Range(d.withDayOfMonth(1).minusMonths(1),
        d.withDayOfMonth(1).plusMonths(2).minusDays(1)));
  }

  @Override
  public String replaced(SortedSet<LocalDate> touched) {
    return months(touched).sql("month");
  }

  @Override
  public Dataset<Row> compute(Dataset<Row> silver, SortedSet<LocalDate> touched) {
    return compute(silver.filter(silverNeeded(touched).contains("business_date")))
        .filter(months(touched).contains("month"));
  }

  /** The first days of the months replaced: each touched date's month and the month after it. */
  private static DateRanges months(SortedSet<LocalDate> touched) {
    java.util.TreeSet<LocalDate> firsts = new java.util.TreeSet<>();
    touched.forEach(d -> {
      firsts.add(d.withDayOfMonth(1));
      firsts.add(d.withDayOfMonth(1).plusMonths(1));
    });
    return DateRanges.around(firsts, 0, 0);
  }

  /** {@code lines} must include the month before every month to compute, for the growth figure. */
  public static Dataset<Row> compute(Dataset<Row> lines) {
    Dataset<Row> withMonth = lines.withColumn("month", trunc(col("business_date"), "month"));
    Column[] keys = KEYS.stream().map(k -> col(k)).toArray(Column[]::new);
    Dataset<Row> totals = withMonth.groupBy(keys).agg(
        saleSum("net_amount").as("net_exact"),
        refundSum("net_amount").as("refund_exact"),
        countDistinct(when(sales(), col("order_id"))).as("orders"),
        coalesce(sum(when(sales(), col("quantity"))), lit(0L)).as("units_sold"));

    Dataset<Row> previous = totals.select(add_months(col("month"), 1).as("p_month"), col("country").as("p_country"),
        col("region").as("p_region"), col("category").as("p_category"), col("net_exact").as("prev_net_exact"));
    Dataset<Row> withGrowth = totals.join(previous, col("month").equalTo(col("p_month"))
            .and(col("country").eqNullSafe(col("p_country")))
            .and(col("region").eqNullSafe(col("p_region")))
            .and(col("category").equalTo(col("p_category"))), "left")
        .withColumn("growth_pct", when(col("prev_net_exact").gt(0),
            round(col("net_exact").minus(col("prev_net_exact")).multiply(100).divide(col("prev_net_exact")), 2)
                .cast("decimal(18,2)")));

    Dataset<Row> skuNet = withMonth.filter(sales()).groupBy(col("month"), col("country"), col("region"),
            col("category"), col("sku"))
        .agg(sum("net_amount").as("sku_net"))
        .withColumn("rank", row_number().over(Window.partitionBy(keys).orderBy(col("sku_net").desc(),
            col("sku").asc())))
        .filter(col("rank").leq(TOP_SKUS));
    Dataset<Row> topSkus = skuNet.groupBy(keys).agg(expr("transform(sort_array(collect_list(struct(rank, sku,"
        + " cast(round(sku_net, 2) as decimal(18,2)) as net_amount))), s -> named_struct('sku', s.sku,"
        + " 'net_amount', s.net_amount))").as("top_skus"));

    Dataset<Row> top = topSkus.select(col("month").as("t_month"), col("country").as("t_country"),
        col("region").as("t_region"), col("category").as("t_category"), col("top_skus"));
    return withGrowth.join(top, col("month").equalTo(col("t_month"))
            .and(col("country").eqNullSafe(col("t_country")))
            .and(col("region").eqNullSafe(col("t_region")))
            .and(col("category").equalTo(col("t_category"))), "left")
        .select(col("month"), col("country"), col("region"), col("category"),
            money(col("net_exact")).as("net_amount"),
            money(col("refund_exact")).as("refund_amount"),
            money(col("net_exact").minus(col("refund_exact"))).as("net_after_refunds"),
            col("orders"), col("units_sold"),
            money(col("prev_net_exact")).as("previous_net_amount"),
            col("growth_pct"),
            coalesce(col("top_skus"), expr("array()").cast("array<struct<sku:string,net_amount:decimal(18,2)>>"))
                .as("top_skus"));
  }

}
