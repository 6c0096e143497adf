package io.tillstream.jobs.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tillstream.jobs.testing.Commands;
import io.tillstream.jobs.testing.SamplesLake;
import io.tillstream.jobs.testing.SamplesServer;
import io.tillstream.lake.Lake;
import io.tillstream.lake.Table;
import io.tillstream.testing.SparkTestSession;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * serve as a real process (scripts/tillstream serve, with a token) and sql --remote against it: the same answers as
 * a local sql, a new table version visible without restart, and no answer without the token.
 */
class ServeIT {
  static final String BY_CATEGORY = "SELECT category, sum(net_amount) AS net, count(*) AS rows FROM gold.daily_sales"
      + " GROUP BY category ORDER BY category";

  static Map<String, String> withToken() {
    Map<String, String> env = new HashMap<>(SamplesLake.ENV);
    env.put(SqlClient.TOKEN_ENV, SamplesServer.TOKEN);
    return env;
  }

  @Test
  void remoteAnswersEqualLocalOnesAndSeeNewVersionsWithoutRestart() {
    String lake = SamplesServer.lake().toString();
    assertEquals("tillstream: serving 10 tables of " + lake + " at sc://127.0.0.1:"
        + SamplesServer.remote().replaceAll(".*:", ""), SamplesServer.banner());
    Commands.Result local = Commands.run(SamplesLake.ENV, "sql", "--local", "--lake", lake, BY_CATEGORY);
    assertEquals(0, local.code(), local.err());
    Commands.Result viaServer = Commands.run(withToken(), "sql", "--remote", SamplesServer.remote(), BY_CATEGORY);
    assertEquals(0, viaServer.code(), viaServer.err());
    assertEquals(local.out(), viaServer.out());
    assertEquals(10, local.out().lines().count(), local.out()); // the header and 9 categories
    // A plain sql on the served lake finds the server on its own.
    Commands.Result found = Commands.run(withToken(), "sql", "--lake", lake, BY_CATEGORY);
    assertEquals(0, found.code(), found.err());
    assertTrue(found.err().contains("tillstream: asking the serve running on this lake at " + SamplesServer.remote()),
        found.err());
    assertEquals(local.out(), found.out());

    // A new version of bronze (which no figure reads): one more row, seen by the running server.
    String count = "SELECT count(*) FROM bronze.sales_events";
    long before = Long.parseLong(Commands.run(withToken(), "sql", "--remote", SamplesServer.remote(), count).out()
        .lines().skip(1).findFirst().orElseThrow());
    Lake served = new Lake(SparkTestSession.get(), lake);
    served.append(Table.BRONZE_SALES_EVENTS, served.read(Table.BRONZE_SALES_EVENTS).limit(1)
        .withColumn("record_id", functions.lit("serve-it-new-version")));
    Commands.Result after = Commands.run(withToken(), "sql", "--remote", SamplesServer.remote(), count);
    assertEquals("count(1)\n" + (before + 1) + "\n", after.out());
  }

  @Test
  void withoutTheTokenTheServerAnswersNothing() {
    Commands.Result noToken = Commands.run(SamplesLake.ENV, "sql", "--remote", SamplesServer.remote(), "SELECT 1");
    assertEquals(1, noToken.code(), noToken.out());
    assertTrue(noToken.err().contains("query on " + SamplesServer.remote() + " failed"), noToken.err());
    assertTrue(noToken.err().contains("UNAUTHENTICATED"), noToken.err());
  }

  @Test
  void aPublicAddressWithoutTokenIsRefusedBeforeServing() {
    Commands.Result r = Commands.run(SamplesLake.ENV, "serve", "--lake", "unused", "--set", "serve.host=0.0.0.0");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("serve.host=0.0.0.0 is not a loopback address: anyone who reaches it could query the"
        + " lake; set a token in TILLSTREAM_SQL_TOKEN"), r.err());
  }
}
