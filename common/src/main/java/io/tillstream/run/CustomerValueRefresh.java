package io.tillstream.run;

import io.tillstream.gold.CustomerTotals;
import io.tillstream.gold.CustomerValue;
import io.tillstream.lake.DateRanges;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.lake.TableLayout;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Keeps gold.customer_value current without re-reading all of silver: gold.customer_totals records (in its commit's
 * user metadata) the silver version it includes; a run adds the totals of the lines silver gained since (Delta's
 * change feed) and derives customer_value from the sum. It rebuilds from all of silver when there is no usable
 * record: the first run, a lake written before, history vacuumed, or silver lines changed rather than added.
 *
 * <p>Orders are distinct per customer: an order of the new lines is not counted again when the same customer's sale
 * with that order id is already in silver within {@code dedup.horizon-days} of it (the duplicate check's horizon;
 * an order id reused further apart counts as a new order).
 */
final class CustomerValueRefresh {
  private static final String RECORD = "tillstream.customer_totals silver_version=";

  private final Lake lake;

  CustomerValueRefresh(Lake lake) {
    this.lake = lake;
  }

  /** What silver version the totals include and the latest business date in silver then. */
  record Included(long silverVersion, LocalDate asOf) {
    String userMetadata() {
      return RECORD + silverVersion + " as_of_date=" + (asOf == null ? "none" : asOf);
    }

    static Included parse(String userMetadata) {
      String[] parts = userMetadata.substring(RECORD.length()).split(" as_of_date=");
      return new Included(Long.parseLong(parts[0]), parts[1].equals("none") ? null : LocalDate.parse(parts[1]));
    }
  }

  Map<String, Long> refresh(int horizonDays) {
    Map<String, Long> versions = new LinkedHashMap<>();
    long silverVersion = lake.version(Table.SILVER_SALES_LINES);
    boolean feedKept = TableLayout.ensureChangeFeed(lake, Table.SILVER_SALES_LINES);
    String recorded = feedKept ? lake.lastUserMetadata(Table.GOLD_CUSTOMER_TOTALS, RECORD, 50) : null;
    Included before = recorded == null ? null : Included.parse(recorded);
    if (before != null && before.silverVersion() == silverVersion && lake.exists(Table.GOLD_CUSTOMER_VALUE)) {
      return versions;
    }
    Dataset<Row> totals = null;
    LocalDate asOf = null;
    if (before != null && before.silverVersion() < silverVersion) {
      Dataset<Row> added = SilverAdditions.between(lake, before.silverVersion(), silverVersion,
          CustomerTotals.SILVER_COLUMNS);
      if (added != null) {
        try {
          TreeSet<LocalDate> dates = DateRanges.businessDates(added);
          asOf = dates.isEmpty() ? before.asOf()
              : before.asOf() == null || dates.last().isAfter(before.asOf()) ? dates.last() : before.asOf();
          totals = CustomerTotals.plus(lake.read(Table.GOLD_CUSTOMER_TOTALS),
              CustomerTotals.of(added, countedOrders(before.silverVersion(), dates, horizonDays)))
              .localCheckpoint(true);
        } catch (Exception historyVacuumed) { // files of a version read were removed: rebuild instead
          totals = null;
        } finally {
          added.unpersist(false);
        }
      }
    }
    if (totals == null) {
      Dataset<Row> lines = lake.readVersion(Table.SILVER_SALES_LINES, silverVersion)
          .selectExpr(CustomerTotals.SILVER_COLUMNS.toArray(String[]::new));
      Row latest = lines.agg(org.apache.spark.sql.functions.max("business_date")).head();
      asOf = latest.isNullAt(0) ? null : latest.getDate(0).toLocalDate();
      totals = CustomerTotals.of(lines).localCheckpoint(true);
    }
    // customer_value first: a crash before the totals are written repeats this whole step next time.
    versions.put(Table.GOLD_CUSTOMER_VALUE.qualifiedName(),
        lake.overwrite(Table.GOLD_CUSTOMER_VALUE, CustomerValue.fromTotals(totals, asOf)));
    versions.put(Table.GOLD_CUSTOMER_TOTALS.qualifiedName(), lake.overwrite(Table.GOLD_CUSTOMER_TOTALS, totals,
        new Included(silverVersion, asOf).userMetadata()));
    return versions;
  }

  /** Customers' sale orders in silver at {@code version} within the horizon of {@code dates}. */
  private Dataset<Row> countedOrders(long version, TreeSet<LocalDate> dates, int horizonDays) {
    return lake.readVersion(Table.SILVER_SALES_LINES, version)
        .filter(DateRanges.around(dates, horizonDays, horizonDays).sql("business_date")
            + " AND event_type = 'sale' AND customer_token IS NOT NULL")
        .select("customer_token", "order_id");
  }
}
