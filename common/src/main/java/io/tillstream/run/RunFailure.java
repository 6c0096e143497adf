package io.tillstream.run;

/** The run did its checks and must not succeed (fail-severity rule, reconciliation). Jobs exit with code 1. */
public class RunFailure extends RuntimeException {
  public RunFailure(String message) {
    super(message);
  }
}
