package io.tillstream.jobs.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.config.ConfigError;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServeCommandTest {
  @Test
  void loopbackNeedsNoTokenAndKeepsPluginsAlreadyGiven() {
    Map<String, String> s = ServeCommand.connectSettings(Map.of("spark.plugins", "com.example.Mine"), "127.0.0.1",
        15002, null);
    assertEquals("com.example.Mine,org.apache.spark.sql.connect.SparkConnectPlugin", s.get("spark.plugins"));
    assertEquals("127.0.0.1", s.get("spark.connect.grpc.binding.address"));
    assertEquals("15002", s.get("spark.connect.grpc.binding.port"));
    assertTrue(!s.containsKey("spark.connect.authenticate.token"));
  }

  @Test
  void anotherAddressRequiresTheTokenAndPassesIt() {
    ConfigError e = assertThrows(ConfigError.class, () -> ServeCommand.connectSettings(Map.of(), "0.0.0.0", 1, " "));
    assertTrue(e.getMessage().startsWith("serve.host=0.0.0.0 is not a loopback address"), e.getMessage());
    Map<String, String> s = ServeCommand.connectSettings(Map.of(), "0.0.0.0", 1, "t0k3n");
    assertEquals("t0k3n", s.get("spark.connect.authenticate.token"));
  }

  @Test
  void theTokenGoesIntoTheClientUrlOnlyWhenSet() {
    assertEquals("sc://h:1", SqlClient.withToken("sc://h:1", null));
    assertEquals("sc://h:1/;token=abc", SqlClient.withToken("sc://h:1", "abc"));
    assertEquals("sc://h:1/;token=given", SqlClient.withToken("sc://h:1/;token=given", "abc"));
    ConfigError e = assertThrows(ConfigError.class, () -> SqlClient.withToken("http://h:1", null));
    assertTrue(e.getMessage().startsWith("sql.remote=http://h:1: not a Spark Connect address"), e.getMessage());
  }
}
