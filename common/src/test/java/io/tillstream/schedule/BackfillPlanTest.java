package io.tillstream.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackfillPlanTest {
  private static final LocalDate D1 = LocalDate.parse("2025-03-10");
  private static final LocalDate D2 = D1.plusDays(1);
  private static final LocalDate D3 = D1.plusDays(2);
  private static final LocalDate D4 = D1.plusDays(3);

  @Test
  void nothingDoneRunsEveryDayInOrder() {
    BackfillPlan plan = BackfillPlan.of(D1, D4, Map.of());
    assertEquals(List.of(D1, D2, D3, D4), plan.toRun());
    assertNull(plan.resumeAfter());
  }

  @Test
  void resumesAfterTheLastDayOfTheUnbrokenRunOfDoneDays() {
    BackfillPlan plan = BackfillPlan.of(D1, D4, Map.of(D1, "SUCCEEDED", D2, "SKIPPED", D4, "SUCCEEDED"));
    assertEquals(List.of(D1, D2), plan.done());
    assertEquals(D2, plan.resumeAfter());
    // D4 succeeded before, but after the gap at D3 it runs again (idempotently), so the days stay in order.
    assertEquals(List.of(D3, D4), plan.toRun());
  }

  @Test
  void aDayWhoseLatestRunFailedIsNotDone() {
    BackfillPlan plan = BackfillPlan.of(D1, D3, Map.of(D1, "FAILED", D2, "SUCCEEDED"));
    assertEquals(List.of(), plan.done());
    assertEquals(List.of(D1, D2, D3), plan.toRun());
  }

  @Test
  void everyDayDoneLeavesNothingToRun() {
    BackfillPlan plan = BackfillPlan.of(D1, D2, Map.of(D1, "SUCCEEDED", D2, "SUCCEEDED", D3, "FAILED"));
    assertEquals(List.of(), plan.toRun());
    assertEquals(D2, plan.resumeAfter());
  }
}
