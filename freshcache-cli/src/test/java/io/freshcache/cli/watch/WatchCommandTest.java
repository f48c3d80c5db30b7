package io.freshcache.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.cli.Cli;
import org.junit.jupiter.api.Test;

/** What {@code freshcache watch} refuses, before it connects anywhere. */
class WatchCommandTest {

  private static final String NOWHERE = "redis://127.0.0.1:1";

  private static void assertUsageError(Cli.Run run, String... mentions) {
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(mentions).contains("freshcache watch --help");
  }

  @Test
  void redisIsRequired() {
    assertUsageError(Cli.run("watch"), "--redis");
  }

  @Test
  void countAndTimeoutMustBePositive() {
    assertUsageError(Cli.run("watch", "--redis", NOWHERE, "--count", "0"), "--count");
    assertUsageError(
        Cli.run("watch", "--redis", NOWHERE, "--timeout", "0"), "--timeout must be more than 0");
    assertUsageError(
        Cli.run("watch", "--redis", NOWHERE, "--timeout", "soon"), "'soon' is not a duration");
  }

  @Test
  void aNegativeTimeoutIsRefusedAsNegative() {
    assertUsageError(
        Cli.run("watch", "--redis", NOWHERE, "--timeout=-1s"),
        "'--timeout'",
        "must not be negative, was -1s");
  }

  @Test
  void aBadUriIsAUsageError() {
    assertUsageError(Cli.run("watch", "--redis", "127.0.0.1:6379"), "is not a Redis URI");
  }

  @Test
  void helpDescribesEveryOptionAndGivesExamples() {
    Cli.Run help = Cli.run("watch", "--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("--redis", "--namespace", "--json", "--count", "--timeout")
        .contains("Examples:", "freshcache watch --redis redis://127.0.0.1:6379");
  }
}
