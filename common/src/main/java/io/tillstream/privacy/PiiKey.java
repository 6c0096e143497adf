package io.tillstream.privacy;

import io.tillstream.config.ConfigError;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The HMAC key for PII tokens, from the environment variable TILLSTREAM_PII_KEY, with the id stored beside
 * each token. {@link #toString()} never shows the key.
 */
public final class PiiKey implements Serializable {
  public static final String ENV_KEY = "TILLSTREAM_PII_KEY";
  public static final String ENV_KEY_ID = "TILLSTREAM_PII_KEY_ID";
  static final String DEMO_KEY_ID = "demo";
  private static final String DEMO_KEY = "tillstream-demo-key-NOT-SECRET";

  private final String id;
  private final byte[] secret;
  private final boolean demo;

  private PiiKey(String id, byte[] secret, boolean demo) {
    this.id = id;
    this.secret = secret;
    this.demo = demo;
  }

  public static PiiKey of(String id, String secret) {
    if (secret == null || secret.length() < 16) {
      throw new ConfigError("the PII key must have at least 16 characters (set " + ENV_KEY + ")");
    }
    return new PiiKey(id, secret.getBytes(StandardCharsets.UTF_8), false);
  }

  /**
   * Reads the key from the environment. Without TILLSTREAM_PII_KEY only a run on the bundled samples may use
   * the built-in demo key (with a loud warning); anything else fails fast.
   */
  public static PiiKey fromEnvironment(Map<String, String> env, String configuredKeyId, boolean sampleRun) {
    String secret = env.get(ENV_KEY);
    String id = env.getOrDefault(ENV_KEY_ID, configuredKeyId);
    if (secret != null && !secret.isBlank()) {
      return of(id, secret);
    }
    if (sampleRun) {
      return new PiiKey(DEMO_KEY_ID, DEMO_KEY.getBytes(StandardCharsets.UTF_8), true);
    }
    throw new ConfigError("environment variable " + ENV_KEY + " is not set: PII (e-mail, phone, card) must be"
        + " tokenized with a secret key. Export " + ENV_KEY + "=<at least 16 random characters> (and optionally "
        + ENV_KEY_ID + "=<key id>); only runs on the bundled data-samples may go without it.");
  }

  public String id() {
    return id;
  }

  public boolean isDemo() {
    return demo;
  }

  byte[] secret() {
    return secret.clone();
  }

  @Override
  public String toString() {
    return "PiiKey[id=" + id + ", secret=****]";
  }
}
