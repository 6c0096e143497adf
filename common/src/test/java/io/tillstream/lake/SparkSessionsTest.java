package io.tillstream.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tillstream.testing.SparkTestSession;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {
  private static final String FACTORY = "spark.sql.codegen.factoryMode";
  private static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";

  /** A session of its own without the test JVM's code generation settings, as a command's session starts. */
  private static SparkSession withoutCodegenSettings() {
    SparkSession s = SparkTestSession.get().newSession();
    s.conf().unset(FACTORY);
    s.conf().unset(WHOLE_STAGE);
    return s;
  }

  @Test
  void smallInputIsInterpretedForTheRunOnlyLargeInputIsCompiled() {
    SparkSession s = withoutCodegenSettings();
    assertEquals("NO_CODEGEN,false", SparkSessions.interpretingSmallInput(s, SparkSessions.INTERPRET_BELOW_BYTES - 1,
        () -> s.conf().get(FACTORY) + "," + s.conf().get(WHOLE_STAGE)));
    assertFalse(s.conf().contains(FACTORY), "the session is as before once the run is over");
    assertFalse(s.conf().contains(WHOLE_STAGE));
    assertEquals("FALLBACK,true", SparkSessions.interpretingSmallInput(s, SparkSessions.INTERPRET_BELOW_BYTES,
        () -> s.conf().get(FACTORY) + "," + s.conf().get(WHOLE_STAGE)));
  }

  @Test
  void anInterpretingSessionRunsCompiledForTheWorkOnly() {
    SparkSession s = withoutCodegenSettings();
    s.conf().set(WHOLE_STAGE, "false");
    s.conf().set(FACTORY, "NO_CODEGEN");
    assertEquals("FALLBACK,true", SparkSessions.compiling(s,
        () -> s.conf().get(FACTORY) + "," + s.conf().get(WHOLE_STAGE)));
    assertEquals("NO_CODEGEN", s.conf().get(FACTORY), "the session is as before once the work is over");
    assertEquals("false", s.conf().get(WHOLE_STAGE));
  }

  @Test
  void anExplicitCodeGenerationSettingIsKept() {
    SparkSession s = withoutCodegenSettings();
    s.conf().set(WHOLE_STAGE, "true");
    assertEquals("FALLBACK,true", SparkSessions.interpretingSmallInput(s, 10,
        () -> s.conf().get(FACTORY) + "," + s.conf().get(WHOLE_STAGE)));
    assertEquals("true", s.conf().get(WHOLE_STAGE));
  }
}
