package io.freshcache.cli.invalidate;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.cli.Cli;
import io.freshcache.event.Invalidation;
import org.junit.jupiter.api.Test;

/**
 * What {@code freshcache invalidate} refuses. Every check runs before connecting: the Redis here
 * does not exist, so reaching it would be exit code 1, not 2.
 */
class InvalidateCommandTest {

  private static final String NOWHERE = "redis://127.0.0.1:1";

  private static Cli.Run invalidate(String... args) {
    String[] line = new String[args.length + 1];
    line[0] = "invalidate";
    System.arraycopy(args, 0, line, 1, args.length);
    return Cli.run(line);
  }

  private static void assertUsageError(Cli.Run run, String... mentions) {
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(mentions).contains("freshcache invalidate --help");
  }

  @Test
  void aPatternThatWouldMatchEverythingIsRefusedWithTheLibrarysReason() {
    Cli.Run run = invalidate("--redis", NOWHERE, "--namespace", "shop", "--pattern", "*");

    assertUsageError(
        run, "pattern \"*\" would invalidate every key: nothing was invalidated", "--all");
  }

  @Test
  void somethingToInvalidateIsRequired() {
    assertUsageError(
        invalidate("--redis", NOWHERE, "--namespace", "shop"),
        "--key",
        "--tag",
        "--pattern",
        "--cascade",
        "--all");
  }

  @Test
  void onlyOneThingToInvalidateIsAccepted() {
    assertUsageError(
        invalidate("--redis", NOWHERE, "--namespace", "shop", "--key", "user:1", "--all"),
        "mutually exclusive");
  }

  @Test
  void redisAndNamespaceAreRequired() {
    assertUsageError(invalidate("--namespace", "shop", "--all"), "--redis");
    assertUsageError(invalidate("--redis", NOWHERE, "--all"), "--namespace");
  }

  @Test
  void badValuesAreRefusedWithWhatIsWrong() {
    assertUsageError(
        invalidate("--redis", "localhost", "--namespace", "shop", "--all"),
        "'localhost' is not a Redis URI");
    assertUsageError(
        invalidate("--redis", NOWHERE, "--namespace", "a shop", "--all"),
        "--namespace: group name \"a shop\" is not valid");
    assertUsageError(
        invalidate("--redis", NOWHERE, "--namespace", "shop", "--key", ""),
        "key must not be empty");
    assertUsageError(
        invalidate("--redis", NOWHERE, "--namespace", "shop", "--tag", " "),
        "a tag must not be blank");
    assertUsageError(
        invalidate("--redis", NOWHERE, "--namespace", "shop", "--all", "--type", "user updated"),
        "event type \"user updated\" is not valid");
    assertUsageError(
        invalidate("--redis", NOWHERE, "--namespace", "shop", "--all", "--stream-prefix", "a/b"),
        "--stream-prefix: keyPrefix \"a/b\" is not valid");
  }

  @Test
  void anEmptyPatternIsNotTakenForMatchAll() {
    Cli.Run run = invalidate("--redis", NOWHERE, "--namespace", "shop", "--pattern", "");

    assertUsageError(run, "pattern must not be empty");
    assertThat(run.err()).doesNotContain("--all");
  }

  @Test
  void helpDescribesEveryOptionAndGivesExamples() {
    Cli.Run help = invalidate("--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out())
        .contains("--redis", "--namespace", "--key", "--tag", "--pattern", "--cascade", "--all")
        .contains("--type", "--stream-prefix")
        .contains("Examples:", "freshcache invalidate --redis redis://127.0.0.1:6379");
  }

  @Test
  void theConfirmationSaysWhatWasInvalidated() {
    assertThat(InvalidateCommand.describe(Invalidation.keys("user:1", "user:2")))
        .isEqualTo("keys [user:1, user:2]");
    assertThat(InvalidateCommand.describe(Invalidation.cascade("user:1")))
        .isEqualTo("keys [user:1] and everything derived from them");
    assertThat(InvalidateCommand.describe(Invalidation.tags("org:42"))).isEqualTo("tags [org:42]");
    assertThat(InvalidateCommand.describe(Invalidation.pattern("user:7*")))
        .isEqualTo("keys matching user:7*");
    assertThat(InvalidateCommand.describe(Invalidation.all())).isEqualTo("everything");
  }
}
