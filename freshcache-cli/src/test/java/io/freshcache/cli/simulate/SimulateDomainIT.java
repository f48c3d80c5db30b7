package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshcache.cli.Cli;
import io.freshcache.cli.RedisCli;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The domain workload against the real servers: its instances' bus and shared tier on Redis (paced
 * to real time), its rows in PostgreSQL; neither keeps anything afterwards.
 */
class SimulateDomainIT {

  /** The local PostgreSQL the test command makes sure runs: trust authentication, database test. */
  static final String POSTGRES =
      System.getProperty(
          "freshcache.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RedisCli redis = new RedisCli();

  @AfterEach
  void disconnect() {
    redis.close();
  }

  private List<String> simulatorKeys() {
    RedisCommands<String, String> sync = redis.connection().sync();
    ScanArgs match = ScanArgs.Builder.matches(RedisTransport.KEY_PREFIX + "*").limit(1000);
    List<String> keys = new ArrayList<>();
    KeyScanCursor<String> cursor = sync.scan(match);
    keys.addAll(cursor.getKeys());
    while (!cursor.isFinished()) {
      cursor = sync.scan(ScanCursor.of(cursor.getCursor()), match);
      keys.addAll(cursor.getKeys());
    }
    return keys;
  }

  private static Map<String, JsonNode> scenarios(Cli.Run run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode s : JSON.readTree(run.out()).get("scenarios")) {
      byName.put(s.get("name").asText(), s);
    }
    return byName;
  }

  @Test
  void overRedisInvalidationsArriveInRealTimeAndNoKeyIsLeftBehind() throws Exception {
    Cli.Run run =
        Cli.run(
            "simulate",
            "--redis",
            RedisCli.URI,
            "--duration",
            "3s",
            "--rate",
            "200",
            "--write-rate",
            "price=100",
            "--scenarios",
            "ttl-everywhere,event-driven",
            "--json");

    Map<String, JsonNode> byName = scenarios(run);
    JsonNode workload = JSON.readTree(run.out()).get("workload");
    assertThat(workload.get("paced").asBoolean()).isTrue();
    assertThat(workload.get("redis").asText()).isEqualTo(RedisCli.URI.replace("redis://", ""));
    assertThat(workload.get("stale").asText()).contains("paced to real time");
    JsonNode events = byName.get("event-driven");
    JsonNode ttl = byName.get("ttl-everywhere");
    assertThat(events.get("messagesSent").asLong()).isPositive();
    // Each of the other three instances applies each event; one still in flight at the end is not.
    assertThat(events.get("messagesApplied").asLong())
        .isPositive()
        .isLessThanOrEqualTo(3 * events.get("messagesSent").asLong());
    assertThat(events.get("lagsMeasured").asLong()).isPositive();
    assertThat(events.get("lagP99Micros").asLong()).isPositive();
    // Paced, an invalidation over Redis beats most reads: far fewer stale reads than no
    // invalidation at all, rather than thousands more as an unpaced replay showed.
    assertThat(ttl.get("staleReads").asLong()).isPositive();
    assertThat(events.get("staleReads").asLong()).isLessThan(ttl.get("staleReads").asLong());
    assertThat(events.get("maxBehindRealTimeMillis").asDouble()).isNotNegative();
    assertThat(simulatorKeys()).isEmpty();
  }

  @Test
  void inPostgresTheRowsLiveInASchemaOfTheirOwnDroppedAfterwards() throws Exception {
    Cli.Run run =
        Cli.run(
            "simulate",
            "--jdbc",
            POSTGRES,
            "--duration",
            "3s",
            "--rate",
            "300",
            "--scenarios",
            "ttl-everywhere,tuned",
            "--json");

    Map<String, JsonNode> byName = scenarios(run);
    assertThat(JSON.readTree(run.out()).at("/workload/database").asText())
        .startsWith("jdbc:postgresql:");
    assertThat(byName.get("tuned").get("staleReads").asLong()).isZero();
    assertThat(byName.get("ttl-everywhere").get("sourceReadsPerSecond").asDouble()).isPositive();
    try (Connection c = DriverManager.getConnection(POSTGRES);
        ResultSet schemas =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'fcsim_%'")) {
      schemas.next();
      assertThat(schemas.getLong(1)).isZero();
    }
  }
}
