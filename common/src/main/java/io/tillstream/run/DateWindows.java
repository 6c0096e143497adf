package io.tillstream.run;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/** Date ranges that cover a set of dates widened by a margin, overlapping ranges merged. */
final class DateWindows {

  /** [from, to] pairs, ascending and disjoint, covering every date of {@code dates} +/- {@code margin} days. */
  static List<LocalDate[]> around(SortedSet<LocalDate> dates, int margin) {
    List<LocalDate[]> out = new ArrayList<>();
    for (LocalDate d : dates) {
      LocalDate from = d.minusDays(margin);
      LocalDate to = d.plusDays(margin);
      LocalDate[] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && !from.isAfter(last[1].plusDays(1))) {
        last[1] = to;
      } else {
        out.add(new LocalDate[] {from, to});
      }
    }
    return out;
  }

  private DateWindows() {}
}
