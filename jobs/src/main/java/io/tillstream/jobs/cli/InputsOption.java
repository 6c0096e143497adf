package io.tillstream.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** --input, repeatable: the event files and folders a run reads. */
public final class InputsOption {
  @Option(names = "--input", paramLabel = "PATH",
      description = "event file or directory (JSON Lines, .gz allowed), any Hadoop file system URI; repeatable")
  List<String> inputs = new ArrayList<>();

  public List<String> given() {
    return inputs;
  }

  /** The given inputs, or the bundled sample events. */
  public List<String> orSamples(Map<String, String> env) {
    return inputs.isEmpty() ? List.of(JobSettings.samples(env).resolve("events").toString()) : inputs;
  }
}
