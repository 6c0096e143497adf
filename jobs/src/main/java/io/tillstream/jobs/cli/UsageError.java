package io.tillstream.jobs.cli;

/** Wrong command-line arguments: print what is wrong and the usage, exit 2. */
public final class UsageError extends RuntimeException {
  public UsageError(String message) {
    super(message);
  }
}
