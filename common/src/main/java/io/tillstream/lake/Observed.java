package io.tillstream.lake;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;

/**
 * Reads what a {@link Observation} collected ({@code Dataset.observe}): aggregates computed by the action that ran
 * the observed Dataset, without a job of their own. Spark hands them over through its listener bus, so they can
 * arrive a moment after the action returned.
 */
public final class Observed {

  /** The observed row, waiting at most {@code max} after the action; empty when it did not arrive in time. */
  public static Optional<Row> row(Observation observation, Duration max) {
    try {
      return Optional.of(scala.concurrent.Await.result(observation.future(),
          scala.concurrent.duration.Duration.create(max.toMillis(), TimeUnit.MILLISECONDS)));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private Observed() {}
}
