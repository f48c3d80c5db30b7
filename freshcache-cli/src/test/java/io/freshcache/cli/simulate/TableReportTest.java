package io.freshcache.cli.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.stats.PropagationLag;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableReportTest {

  private static final Workload WORKLOAD = Workload.defaults().withOps(10_000).withKeys(300);
  private static final Trace TRACE = Trace.of(WORKLOAD);
  private static final List<StrategyResult> RESULTS =
      List.of(
          Results.of(TimeStrategy.NO_CACHE, 9_800, 0, 9_800, 980),
          Results.of(TimeStrategy.TTL, 9_800, 9_000, 800, 12),
          Results.of(TimeStrategy.STALE_WHILE_REVALIDATE, 9_800, 9_500, 800, 0));

  private static List<String> tableLines(String report) {
    // The table is the block after the header's blank line, up to the next blank line.
    String table = report.split("\n\n")[1];
    return Arrays.asList(table.split("\n"));
  }

  @Test
  void everyRowOfTheTableLinesUp() {
    List<String> lines = tableLines(TableReport.render(WORKLOAD, TRACE, RESULTS));

    assertThat(lines).hasSize(2 + RESULTS.size());
    int width = lines.get(0).length();
    assertThat(lines).allSatisfy(line -> assertThat(line).hasSize(width));
    // Columns start at the same place on every line: below each heading, the rule.
    String headings = lines.get(0);
    String rule = lines.get(1);
    assertThat(rule).matches("[- ]+");
    assertThat(headings.indexOf("hit ratio")).isEqualTo(rule.indexOf(" -") + 1);
  }

  @Test
  void listsTheStrategiesInTheOrderGiven() {
    List<String> lines = tableLines(TableReport.render(WORKLOAD, TRACE, RESULTS));

    assertThat(lines.get(2)).startsWith("no-cache ");
    assertThat(lines.get(3)).startsWith("ttl ");
    assertThat(lines.get(4)).startsWith("stale-while-revalidate ");
    assertThat(lines.get(3)).contains("91.8%").contains("800").contains("12.3");
  }

  @Test
  void theHeaderDescribesTheWorkloadInOneLine() {
    String header = TableReport.render(WORKLOAD, TRACE, RESULTS).lines().findFirst().orElseThrow();

    assertThat(header)
        .contains("10,000 ops")
        .contains("300 keys")
        .contains("skew 1.0")
        .contains("% writes, ")
        .contains("seed 42")
        .contains("virtual time")
        .contains("ops " + "4,500-5,500");
  }

  @Test
  void theHeaderSaysWhenThereIsNoOutage() {
    Workload healthy = WORKLOAD.withOutage(0);

    assertThat(TableReport.header(healthy, TRACE, RESULTS)).contains("no outage");
  }

  @Test
  void theLegendExplainsStaleReadsAndErrors() {
    String report = TableReport.render(WORKLOAD, TRACE, RESULTS);

    assertThat(report).containsPattern("(?m)^stale reads +\\S.*older version");
    assertThat(report).containsPattern("(?m)^errors +\\S.*database was down");
  }

  private static final List<StrategyResult> MIXED =
      List.of(
          Results.of(TimeStrategy.TTL, 9_800, 9_000, 800, 12),
          Results.ofCluster(InvalidationStrategy.NO_INVALIDATION, 9_800, 8_900, 900),
          Results.ofCluster(InvalidationStrategy.WRITE_BEHIND, 9_800, 8_800, 1_000));

  @Test
  void theMultiInstanceRowsComeUnderALabelLineAsWideAsTheTable() {
    List<String> lines = tableLines(TableReport.render(WORKLOAD, TRACE, MIXED));

    assertThat(lines).hasSize(3 + MIXED.size());
    assertThat(lines.get(2)).startsWith("ttl ");
    assertThat(lines.get(3)).startsWith("-- 3 instances on one bus").endsWith("---");
    assertThat(lines.get(4)).startsWith("no-invalidation ");
    assertThat(lines.get(5)).startsWith("write-behind ");
    int width = lines.get(0).length();
    assertThat(lines).allSatisfy(line -> assertThat(line).hasSize(width));
  }

  @Test
  void withoutMultiInstanceRowsThereIsNoLabelLine() {
    assertThat(TableReport.render(WORKLOAD, TRACE, RESULTS)).doesNotContain("instances on one bus");
  }

  @Test
  void theLegendExplainsTheMultiInstanceRowsAndWriteBehindsFlushes() {
    String report = TableReport.render(WORKLOAD, TRACE, MIXED);

    assertThat(report)
        .contains("instance i % 3")
        .contains("acknowledged")
        .contains("ttl(30s)")
        .containsPattern("write-behind flushes every \\d+ ms of real time");
    assertThat(TableReport.header(WORKLOAD, TRACE, MIXED)).contains("time-based rows only");
  }

  @Test
  void aRunWithoutReadsShowsNoHitRatio() {
    StrategyResult noReads = Results.of(TimeStrategy.TTL, 0, 0, 0, 0);

    assertThat(tableLines(TableReport.render(WORKLOAD, TRACE, List.of(noReads))).get(2))
        .contains("n/a");
  }

  private static final List<StrategyResult> OVER_REDIS =
      List.of(
          Results.of(TimeStrategy.TTL, 9_800, 9_000, 800, 12),
          Results.ofCluster(
              InvalidationStrategy.NO_INVALIDATION, 9_800, 8_900, 900, "10.0.0.7:6380", List.of()),
          Results.ofCluster(
              InvalidationStrategy.MANUAL,
              9_800,
              8_800,
              1_000,
              "10.0.0.7:6380",
              List.of(
                  new PropagationLag(100, 300, 900, 1_000),
                  new PropagationLag(100, 350, 2_500, 3_000))),
          Results.ofCluster(
              InvalidationStrategy.PUB_SUB,
              9_800,
              8_800,
              1_000,
              "10.0.0.7:6380",
              List.of(new PropagationLag(100, 1_200, 4_000, 5_000))));

  @Test
  void overRedisTheHeaderAndLabelSaySoAndTheLegendGivesTheLagOfEachRowsSlowestInstance() {
    String report = TableReport.render(WORKLOAD, TRACE, OVER_REDIS);

    assertThat(TableReport.header(WORKLOAD, TRACE, OVER_REDIS))
        .endsWith("; instances over Redis at 10.0.0.7:6380");
    assertThat(tableLines(report).get(3)).startsWith("-- 3 instances over Redis, no outage ");
    assertThat(report)
        .contains("each on a Redis bus of its own (at 10.0.0.7:6380)")
        // manual's slowest instance: p50 350, p99 2,500; pub-sub's: 1,200 and 4,000;
        // no-invalidation sent nothing and is left out.
        .contains("p50 350-1,200 us,")
        .contains("p99 2,500-4,000 us")
        .contains("3 losses, 6 suspensions of local hits")
        .doesNotContain("one in-process bus");
  }

  @Test
  void inProcessTheReportSaysNothingOfRedis() {
    assertThat(TableReport.render(WORKLOAD, TRACE, MIXED)).doesNotContain("Redis");
  }
}
