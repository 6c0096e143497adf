package io.tillstream.schedule;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The days of a backfill from..to, split into the ones already done and the ones to run: a backfill resumes
 * after the last day of the unbroken run of done days that starts at {@code from}.
 */
public record BackfillPlan(List<LocalDate> done, List<LocalDate> toRun) {
  /** Statuses of a day's latest run that count as done (SKIPPED: no input, tolerated with --allow-missing). */
  public static final Set<String> DONE = Set.of("SUCCEEDED", "SKIPPED");
  public static final int MAX_DAYS = 36_600;

  /** {@code latestStatus}: the status of the latest run of each landing day (see OpsLog). */
  public static BackfillPlan of(LocalDate from, LocalDate to, Map<LocalDate, String> latestStatus) {
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from " + from + " is after to " + to);
    }
    List<LocalDate> done = new ArrayList<>();
    List<LocalDate> toRun = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      if (toRun.isEmpty() && DONE.contains(latestStatus.getOrDefault(d, ""))) {
        done.add(d);
      } else {
        toRun.add(d);
      }
    }
    return new BackfillPlan(List.copyOf(done), List.copyOf(toRun));
  }

  /** The last day already done, or null when the backfill starts at its first day. */
  public LocalDate resumeAfter() {
    return done.isEmpty() ? null : done.get(done.size() - 1);
  }
}
