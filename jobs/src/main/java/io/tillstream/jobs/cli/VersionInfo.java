package io.tillstream.jobs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** tillstream --version: this build's version and the Spark, Delta Lake and Java it runs on. */
public final class VersionInfo implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"tillstream " + tillstreamVersion() + " (Spark " + org.apache.spark.package$.MODULE$
        .SPARK_VERSION() + ", Delta Lake " + io.delta.package$.MODULE$.VERSION() + ", Scala "
        + scala.util.Properties.versionNumberString() + ", Java " + Runtime.version() + ")"};
  }

  /** The project version the build wrote into version.properties. */
  public static String tillstreamVersion() {
    return buildProperty("version");
  }

  /** A version the build wrote into version.properties (version, echartsVersion). */
  public static String buildProperty(String key) {
    try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
