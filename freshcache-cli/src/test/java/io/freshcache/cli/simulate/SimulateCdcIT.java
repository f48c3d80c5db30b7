package io.freshcache.cli.simulate;

import static io.freshcache.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshcache.cli.Cli.Run;
import io.freshcache.jdbc.pg.PrivatePostgres;
import org.junit.jupiter.api.Test;

/**
 * {@code freshcache simulate --scenarios cdc}: writes straight to PostgreSQL, on a private cluster
 * the command starts; TTL only against change capture on the same seeded operations.
 */
class SimulateCdcIT {

  @Test
  void changeCaptureLeavesNoReadStaleBeyondTheLagWhileTtlOnlyLeavesMany() throws Exception {
    // The tolerance is far above the commit -> applied lag even on a loaded machine (p99 under
    // 1 s in the module's tests): what change capture leaves stale is the lag, nothing more.
    Run ok =
        run(
            "simulate",
            "--scenarios",
            "cdc",
            "--duration",
            "8s",
            "--rate",
            "300",
            "--keys",
            "100",
            "--write-ratio",
            "0.05",
            "--tolerance",
            "2s",
            "--seed",
            "11",
            "--json");

    assertThat(ok.exitCode()).as(ok.err()).isZero();
    JsonNode root = new ObjectMapper().readTree(ok.out());
    JsonNode ttl = root.at("/scenarios/0");
    JsonNode cdc = root.at("/scenarios/1");
    System.out.printf(
        "ttl-only: %d reads, %d stale (%.1f%%), %d beyond 2 s; cdc: %d reads, %d stale (%.1f%%),"
            + " %d beyond 2 s, lag %s%n",
        ttl.get("reads").asLong(),
        ttl.get("stale_reads").asLong(),
        ttl.get("stale_share").asDouble() * 100,
        ttl.get("stale_beyond_tolerance").asLong(),
        cdc.get("reads").asLong(),
        cdc.get("stale_reads").asLong(),
        cdc.get("stale_share").asDouble() * 100,
        cdc.get("stale_beyond_tolerance").asLong(),
        cdc.get("commit_to_applied_lag"));
    assertThat(ttl.get("name").asText()).isEqualTo("ttl-only");
    assertThat(cdc.get("name").asText()).isEqualTo("cdc");
    assertThat(cdc.get("reads").asLong()).isEqualTo(ttl.get("reads").asLong()); // same operations
    assertThat(cdc.get("writes").asLong()).isEqualTo(ttl.get("writes").asLong()).isPositive();
    assertThat(ttl.get("stale_beyond_tolerance").asLong()).isGreaterThan(50);
    assertThat(ttl.get("stale_share").asDouble()).isGreaterThan(0.2);
    assertThat(cdc.get("stale_beyond_tolerance").asLong()).isZero();
    assertThat(cdc.get("stale_share").asDouble()).isLessThan(ttl.get("stale_share").asDouble() / 5);
    assertThat(cdc.at("/commit_to_applied_lag/events").asLong())
        .isEqualTo(cdc.get("writes").asLong());
  }

  @Test
  void theTablePrintsBothScenariosStaleShares() {
    Run ok =
        run(
            "simulate",
            "--scenarios",
            "cdc",
            "--duration",
            "2s",
            "--rate",
            "200",
            "--keys",
            "50",
            "--seed",
            "3");

    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out())
        .contains("Change-capture workload: every write goes straight to PostgreSQL")
        .contains("stale share", "stale > 250ms")
        .containsPattern("(?m)^ttl-only +TTL 10s, nothing else +[0-9,]+ +[0-9.]+% ")
        .containsPattern("(?m)^cdc +TTL 10s \\+ change capture from PostgreSQL +[0-9,]+ ")
        .containsPattern("commit -> applied lag \\(cdc, instance 0\\): [0-9,]+ events, p50");
    assertThat(ok.err()).contains("starting a private PostgreSQL");
  }

  @Test
  void aDatabaseWithoutLogicalWalIsOneClearLine() {
    // the shared server of the tests runs with the default wal_level (replica)
    Run failed =
        run(
            "simulate",
            "--scenarios",
            "cdc",
            "--jdbc",
            "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.out()).isEmpty();
    assertThat(failed.err().lines()).hasSize(1);
    assertThat(failed.err())
        .startsWith("freshcache: the database at jdbc:postgresql://127.0.0.1:5432/test")
        .contains("has wal_level 'replica', and change capture needs 'logical'")
        .contains("set wal_level = logical in its postgresql.conf");
  }

  /** Runs a command line with the server binaries looked for where there are none. */
  private static Run withoutBinaries(String... line) {
    String before = System.getProperty(PrivatePostgres.BIN_PROPERTY);
    System.setProperty(PrivatePostgres.BIN_PROPERTY, "/nonexistent/postgresql/bin");
    try {
      return run(line);
    } finally {
      if (before == null) {
        System.clearProperty(PrivatePostgres.BIN_PROPERTY);
      } else {
        System.setProperty(PrivatePostgres.BIN_PROPERTY, before);
      }
    }
  }

  @Test
  void missingServerBinariesAreOneClearLine() {
    Run failed = withoutBinaries("simulate", "--scenarios", "cdc", "--json");

    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.out()).isEmpty();
    assertThat(failed.err().lines()).hasSize(1);
    assertThat(failed.err())
        .startsWith("freshcache: --scenarios cdc needs PostgreSQL with wal_level = logical")
        .contains("no executable initdb in /nonexistent/postgresql/bin")
        .contains("or give --jdbc");
  }

  @Test
  void cdcRunsAloneAndRefusesOptionsItHasNoUseFor() {
    Run mixed = run("simulate", "--scenarios", "cdc,tuned");
    assertThat(mixed.exitCode()).isEqualTo(2);
    assertThat(mixed.err()).contains("--scenarios cdc runs alone").contains("leave out tuned");

    Run redis = run("simulate", "--scenarios", "cdc", "--redis", "redis://127.0.0.1:6379");
    assertThat(redis.exitCode()).isEqualTo(2);
    assertThat(redis.err()).contains("--redis does not apply to --scenarios cdc");
  }

  @Test
  void theDefaultRunNeedsNoPostgres() {
    Run ok =
        withoutBinaries("simulate", "--duration", "1s", "--rate", "200", "--scenarios", "tuned");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("embedded H2").doesNotContain("Change-capture");
  }
}
