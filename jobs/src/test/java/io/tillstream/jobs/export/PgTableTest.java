package io.tillstream.jobs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PgTableTest {
  @Test
  void everyGrainStartsWithTheDateColumnAndNamesDeclaredColumns() {
    for (ExportedTable t : ExportedTable.values()) {
      assertEquals(t.dateColumn(), t.key().get(0), t.name());
      List<String> declared = List.of(t.table().schema().fieldNames());
      assertTrue(declared.containsAll(t.key()), t.name());
      assertEquals(ExportedTable.SCHEMA, t.table().layer(), t.name());
    }
  }

  @Test
  void monthlySalesGetsPostgresTypesItsGrainAsKeyAndJsonForNestedColumns() {
    PgTable monthly = new PgTable(ExportedTable.MONTHLY_SALES);
    assertEquals(List.of("CREATE SCHEMA IF NOT EXISTS gold", """
        CREATE TABLE IF NOT EXISTS gold.monthly_sales (
          month DATE NOT NULL,
          country TEXT NOT NULL,
          region TEXT NOT NULL,
          category TEXT NOT NULL,
          net_amount NUMERIC(18,2),
          refund_amount NUMERIC(18,2),
          net_after_refunds NUMERIC(18,2),
          orders BIGINT,
          units_sold BIGINT,
          previous_net_amount NUMERIC(18,2),
          growth_pct NUMERIC(18,2),
          top_skus JSONB,
          PRIMARY KEY (month, country, region, category)
        )""", "CREATE INDEX IF NOT EXISTS monthly_sales_country_idx ON gold.monthly_sales (country)"),
        monthly.createStatements());
    assertEquals("INSERT INTO gold.monthly_sales (month, country, region, category, net_amount, refund_amount,"
        + " net_after_refunds, orders, units_sold, previous_net_amount, growth_pct, top_skus) VALUES (?, ?, ?, ?, ?,"
        + " ?, ?, ?, ?, ?, ?, CAST(? AS jsonb))", monthly.insert());
    assertEquals("DELETE FROM gold.monthly_sales WHERE month = ?", monthly.deleteDay());
  }

  @Test
  void tablesAreFoundByTheirNameWithOrWithoutTheSchema() {
    assertEquals(ExportedTable.DAILY_SALES, ExportedTable.named("gold.daily_sales").orElseThrow());
    assertEquals(ExportedTable.PRODUCT_TRENDS, ExportedTable.named(" Product_Trends").orElseThrow());
    assertTrue(ExportedTable.named("customer_totals").isEmpty()); // internal state, not published
  }
}
