package io.tillstream.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DateRangesTest {
  private static final TreeSet<LocalDate> DATES = new TreeSet<>(List.of(LocalDate.parse("2025-03-01"),
      LocalDate.parse("2025-03-05"), LocalDate.parse("2025-03-11"), LocalDate.parse("2025-04-01")));

  @Test
  void widenEveryDateAndMergeWhatOverlapsOrTouches() {
    assertEquals("[2025-02-27..2025-03-07, 2025-03-09..2025-03-13, 2025-03-30..2025-04-03]",
        DateRanges.around(DATES, 2, 2).toString());
    assertEquals("[2025-03-01..2025-03-01, 2025-03-05..2025-03-05, 2025-03-11..2025-03-11, 2025-04-01..2025-04-01]",
        DateRanges.around(DATES, 0, 0).toString());
    // Forward only, as a trend row depends on the 13 days before it: 5 March reaches 11 March, which is merged.
    assertEquals("[2025-03-01..2025-03-17, 2025-04-01..2025-04-07]", DateRanges.around(DATES, 0, 6).toString());
    assertTrue(DateRanges.around(new TreeSet<>(), 5, 5).isEmpty());
  }

  @Test
  void oneLateDayAddsItsOwnRangeNotTheSpan() {
    TreeSet<LocalDate> dates = new TreeSet<>(List.of(LocalDate.parse("2024-01-10"), LocalDate.parse("2025-03-01")));
    assertEquals("[2023-12-28..2024-01-23, 2025-02-16..2025-03-14]", DateRanges.around(dates, 13, 13).toString());
  }

  @Test
  void calendarRangesAndUnions() {
    DateRanges months = DateRanges.union(DATES, d -> new DateRanges.Range(d.withDayOfMonth(1),
        d.withDayOfMonth(1).plusMonths(1).minusDays(1)));
    assertEquals("[2025-03-01..2025-04-30]", months.toString());
    assertEquals("[2025-02-27..2025-04-30]", months.union(DateRanges.around(DATES, 2, 2)).toString());
  }

  @Test
  void sqlAndColumnSayTheSame() {
    DateRanges r = DateRanges.around(DATES, 0, 1);
    assertEquals("(d BETWEEN DATE'2025-03-01' AND DATE'2025-03-02' OR d BETWEEN DATE'2025-03-05' AND"
        + " DATE'2025-03-06' OR d BETWEEN DATE'2025-03-11' AND DATE'2025-03-12' OR d BETWEEN DATE'2025-04-01' AND"
        + " DATE'2025-04-02')", r.sql("d"));
    assertEquals("(d = DATE'2025-03-01')", DateRanges.around(List.of(LocalDate.parse("2025-03-01")), 0, 0).sql("d"));
    assertEquals("false", DateRanges.none().sql("d"));
  }
}
