package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.stats.PropagationLag;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonReportTest {

  private static final Workload WORKLOAD = Workload.defaults().withOps(10_000).withKeys(300);
  private static final Trace TRACE = Trace.of(WORKLOAD);

  /** Parses {@code json} with H2's JSON reader and returns it normalised; fails if invalid. */
  static String parse(String json) throws SQLException {
    try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:");
        PreparedStatement parse = h2.prepareStatement("SELECT CAST(? FORMAT JSON AS JSON)")) {
      parse.setBytes(1, json.getBytes(StandardCharsets.UTF_8));
      try (ResultSet row = parse.executeQuery()) {
        row.next();
        return new String(row.getBytes(1), StandardCharsets.UTF_8);
      }
    }
  }

  @Test
  void theValidatorRejectsInvalidJson() {
    assertThatThrownBy(() -> parse("{\"a\": 1,}")).isInstanceOf(SQLException.class);
  }

  @Test
  void rendersValidJsonWithTheWorkloadAndEveryStrategy() throws SQLException {
    List<StrategyResult> results =
        List.of(
            Results.of(TimeStrategy.NO_CACHE, 9_800, 0, 9_800, 980),
            Results.of(TimeStrategy.TTL_JITTER, 9_800, 9_000, 800, 12));

    String json = parse(JsonReport.render(WORKLOAD, TRACE, results));

    assertThat(json)
        .contains("\"keys\":300")
        .contains("\"ops\":10000")
        .contains("\"outage\":{\"fraction\":0.1,\"fromOp\":4500,\"toOp\":5500}")
        .contains("\"name\":\"no-cache\"")
        .contains("\"name\":\"ttl+jitter\"")
        .contains("\"hitRatio\":0")
        .contains("\"sourceLoads\":800")
        .contains("\"p99Micros\":12.345");
  }

  @Test
  void aRunOverRedisCarriesWhereEachInstancesLagAndTheBusLossesAndSuspensions()
      throws SQLException {
    List<StrategyResult> results =
        List.of(
            Results.ofCluster(
                InvalidationStrategy.MANUAL,
                9_800,
                8_500,
                1_300,
                "127.0.0.1:6379",
                List.of(
                    new PropagationLag(10, 300, 900, 1_000),
                    new PropagationLag(20, 350, 2_500, 3_000))),
            Results.ofCluster(InvalidationStrategy.PUB_SUB, 9_800, 8_500, 1_300));

    String json = parse(JsonReport.render(WORKLOAD, TRACE, results));

    assertThat(json)
        .contains("\"redis\":\"127.0.0.1:6379\"")
        .contains(
            "\"lagPerInstance\":[{\"count\":10,\"p50Micros\":300,\"p99Micros\":900,"
                + "\"maxMicros\":1000},{\"count\":20,\"p50Micros\":350,\"p99Micros\":2500,"
                + "\"maxMicros\":3000}]")
        .contains("\"losses\":1")
        .contains("\"suspensions\":2")
        .contains("\"redis\":null")
        .contains("\"lagPerInstance\":[]");
  }

  @Test
  void aMultiInstanceRunCarriesItsInstancesEventsHandlerCallsAndVersionConflicts()
      throws SQLException {
    List<StrategyResult> results =
        List.of(
            Results.of(TimeStrategy.TTL, 9_800, 9_000, 800, 12),
            Results.ofCluster(InvalidationStrategy.PUB_SUB, 9_800, 8_500, 1_300));

    String json = parse(JsonReport.render(WORKLOAD, TRACE, results));

    assertThat(json)
        .contains("\"instances\":1")
        .contains("\"instances\":3")
        .contains("\"name\":\"ttl\"")
        .contains("\"name\":\"pub-sub\"")
        .contains("\"cluster\":null")
        .contains("\"events\":200")
        .contains("\"handlerCalls\":600")
        .contains("\"handlerCallsPerInstance\":[200,200,200]")
        .contains("\"versionConflicts\":4")
        .contains("\"rowsBehind\":0")
        .contains("\"outageVirtualSeconds\":null");
  }

  @Test
  void versionConflictsAreTheCachesOrTheClustersAndNullWithoutACache() throws SQLException {
    List<StrategyResult> results =
        List.of(
            Results.of(TimeStrategy.NO_CACHE, 9_800, 0, 9_800, 980),
            Results.of(TimeStrategy.TTL, 9_800, 9_000, 800, 12),
            Results.ofCluster(InvalidationStrategy.VERSIONS, 9_800, 8_500, 1_300));

    String json = parse(JsonReport.render(WORKLOAD, TRACE, results));

    assertThat(json)
        .containsSubsequence(
            "\"name\":\"no-cache\"",
            "\"versionConflicts\":null",
            "\"outageVirtualSeconds\":{\"from\":90,\"to\":110}",
            "\"name\":\"ttl\"",
            "\"versionConflicts\":0",
            "\"name\":\"versions\"",
            "\"versionConflicts\":4",
            "\"outageVirtualSeconds\":null");
  }

  @Test
  void anEmptyRunAndAMissingRatioAreStillValidJson() throws SQLException {
    assertThat(parse(JsonReport.render(WORKLOAD.withOutage(0), TRACE, List.of())))
        .contains("\"outage\":null")
        .contains("\"strategies\":[]");
    assertThat(
            parse(
                JsonReport.render(
                    WORKLOAD, TRACE, List.of(Results.of(TimeStrategy.TTL, 0, 0, 0, 0)))))
        .contains("\"hitRatio\":null");
  }

  @Test
  void escapesStrings() throws SQLException {
    String tricky = "a \"quoted\" back\\slash\nnew line\ttab \u0001";

    assertThat(parse(JsonReport.string(tricky))).isEqualTo(JsonReport.string(tricky));
    assertThat(JsonReport.string(tricky)).doesNotContain("\n").doesNotContain("\t");
  }

  @Test
  void writesNumbersJsonCanHold() {
    assertThat(JsonReport.number(2.0)).isEqualTo("2");
    assertThat(JsonReport.number(0.905924)).isEqualTo("0.905924");
    assertThat(JsonReport.number(12.3)).isEqualTo("12.3");
    assertThat(JsonReport.number(Double.NaN)).isEqualTo("null");
    assertThat(JsonReport.number(Double.POSITIVE_INFINITY)).isEqualTo("null");
  }
}
