package io.freshcache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.freshcache.spring.boot.apps.BadNameApplication;
import io.freshcache.spring.boot.apps.GreetingApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Bad configuration fails startup with one message that names the property (or the annotation) and
 * the fix: what Boot prints under "APPLICATION FAILED TO START".
 */
class BadConfigurationTest {

  private static FailureAnalysis startupFailure(Class<?> application, String... properties) {
    try (var context =
        new SpringApplicationBuilder(application)
            .web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "freshcache.namespace=badconfig")
            .properties(properties)
            .run()) {
      fail("the application started: " + context);
      return null;
    } catch (RuntimeException e) {
      FailureAnalysis analysis = new FreshCacheFailureAnalyzer().analyze(e);
      assertThat(analysis).as("an analysis of " + e).isNotNull();
      return analysis;
    }
  }

  @Test
  void anUnknownPropertyIsNamedWithTheNearestKnownOne() {
    FailureAnalysis a =
        startupFailure(GreetingApplication.class, "freshcache.caches.users.tll=10m");

    assertThat(a.getDescription())
        .startsWith("freshcache.caches.users.tll is not a freshcache property");
    assertThat(a.getAction())
        .isEqualTo(
            "Remove it, or use one of: ttl, jitter, maximum-size, refresh-ahead,"
                + " stale-while-revalidate, stale-if-error, null-ttl, allow-null-values,"
                + " key-prefix, value-type (did you mean ttl?).");
  }

  @Test
  void aStatusIntervalTooShortNamesThePropertyAndTheFix() {
    FailureAnalysis a = startupFailure(GreetingApplication.class, "freshcache.status-interval=5ms");

    assertThat(a.getDescription())
        .isEqualTo("freshcache.status-interval: a status interval of 5ms is too short.");
    assertThat(a.getAction()).isEqualTo("Use at least 10ms, such as 5s, or 0 to send no status.");
  }

  @Test
  void anUnknownTopLevelPropertyIsNamedToo() {
    FailureAnalysis a = startupFailure(GreetingApplication.class, "freshcache.namspace=shop");

    assertThat(a.getDescription()).startsWith("freshcache.namspace is not a freshcache property");
    assertThat(a.getAction()).endsWith("(did you mean namespace?).");
  }

  @Test
  void aNegativeTtlNamesThePropertyAndTheFix() {
    FailureAnalysis a =
        startupFailure(GreetingApplication.class, "freshcache.caches.users.ttl=-5s");

    assertThat(a.getDescription())
        .isEqualTo("freshcache.caches.users.ttl: a TTL of -5s is not positive.");
    assertThat(a.getAction())
        .isEqualTo("Use a positive duration such as 10m, or leave the property out.");
  }

  @Test
  void aNegativeDefaultTtlFailsEvenBeforeAnyCacheUsesIt() {
    FailureAnalysis a = startupFailure(GreetingApplication.class, "freshcache.defaults.ttl=-5s");

    assertThat(a.getDescription())
        .isEqualTo("freshcache.defaults.ttl: a TTL of -5s is not positive.");
  }

  @Test
  void aRefreshFromPropertiesWithoutASourceSaysWhereOneComesFrom() {
    FailureAnalysis a =
        startupFailure(
            GreetingApplication.class,
            "freshcache.caches.greetings.ttl=10m",
            "freshcache.caches.greetings.refresh-ahead=0.8");

    assertThat(a.getDescription())
        .startsWith("freshcache.caches.greetings.refresh-ahead: refresh and stale windows reload");
    assertThat(a.getAction())
        .isEqualTo(
            "Give the cache a source in a FreshCacheCustomizer (spec.source(key -> ...)), or drop"
                + " the property.");
  }

  @Test
  void aValueThatIsNotADurationSaysHowToWriteOne() {
    FailureAnalysis a =
        startupFailure(GreetingApplication.class, "freshcache.caches.users.ttl=soon");

    assertThat(a.getDescription())
        .startsWith("freshcache.caches.users.ttl: \"soon\" cannot be read as a Duration");
    assertThat(a.getAction()).isEqualTo("Write it as a Duration such as 10m, 30s or 200ms.");
  }

  @Test
  void anUnreachableRedisAtStartupNamesTheUriAndTheWayOut() {
    FailureAnalysis a =
        startupFailure(GreetingApplication.class, "freshcache.redis.uri=redis://127.0.0.1:1");

    assertThat(a.getDescription())
        .startsWith(
            "freshcache.redis.uri: the group could not connect to Redis at redis://127.0.0.1:1: ")
        .doesNotContain("failFast");
    assertThat(a.getAction())
        .isEqualTo(
            "Start Redis there or correct freshcache.redis.uri; to start without it (reads go to"
                + " the source until Redis answers) set freshcache.redis.fail-fast=false.");
  }

  @Test
  void aCacheNameOnAnAnnotationThatFreshcacheCannotTakeIsNamedWithWhereItIs() {
    FailureAnalysis a = startupFailure(BadNameApplication.class);

    assertThat(a.getDescription())
        .isEqualTo(
            "the cache name \"user profiles\" is not a valid freshcache cache name (1 to 128"
                + " letters, digits and . _ : -, starting with a letter or digit), named on"
                + " Profiles.find().");
    assertThat(a.getAction()).endsWith("e.g. \"user-profiles\".");
  }

  @Test
  void aCacheNameInThePropertiesThatFreshcacheCannotTakeNamesTheProperty() {
    FailureAnalysis a =
        startupFailure(GreetingApplication.class, "spring.cache.cache-names=ok,not ok");

    assertThat(a.getDescription())
        .startsWith("spring.cache.cache-names: the cache name \"not ok\" is not a valid");
  }

  @Test
  void anInvalidNamespaceNamesItsProperty() {
    FailureAnalysis a = startupFailure(GreetingApplication.class, "freshcache.namespace=my shop");

    assertThat(a.getDescription())
        .isEqualTo("freshcache.namespace: \"my shop\" is not a valid group name.");
  }

  @Test
  void bootPrintsTheAnalysisAtStartup() {
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      startupFailure(GreetingApplication.class, "freshcache.caches.users.ttl=-5s");
    } finally {
      System.setErr(err);
    }
    assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("APPLICATION FAILED TO START")
        .contains("freshcache.caches.users.ttl: a TTL of -5s is not positive.")
        .contains("Use a positive duration such as 10m, or leave the property out.");
  }
}
