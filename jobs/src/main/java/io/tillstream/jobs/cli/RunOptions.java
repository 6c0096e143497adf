package io.tillstream.jobs.cli;

import io.tillstream.config.TillstreamConfig;
import java.util.Map;
import picocli.CommandLine.Mixin;

/** The options of a run over event files (batch, validate): inputs, reference data, lake, dates, configuration. */
public final class RunOptions {
  @Mixin
  InputsOption inputs;

  @Mixin
  DimsOption dims;

  @Mixin
  LakeOption lake;

  @Mixin
  DateRange range;

  @Mixin
  ConfigOptions config;

  /** The settings with defaults resolved: the bundled samples into lake.root. */
  public JobSettings settings(Map<String, String> env) {
    TillstreamConfig c = config.load(env);
    return JobSettings.of(inputs.orSamples(env), dims.dir(env), lake.root(c), range.from(), range.to(), c, env);
  }
}
