package io.tillstream.jobs;

/** Wrong command-line arguments: print what is wrong and the usage, exit 2. */
final class UsageError extends RuntimeException {
  UsageError(String message) {
    super(message);
  }
}
