package io.freshcache;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FreshCacheBuilderTest {

  private static FreshCacheBuilder<String, String> builder() {
    return FreshCache.builder("users", String.class, String.class);
  }

  @Test
  void namesMustBeUsableInMetricsAndKeys() {
    assertThatThrownBy(() -> FreshCache.builder(null, String.class, String.class))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> FreshCache.builder(" ", String.class, String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cache name \" \" is not valid");
    assertThatThrownBy(() -> FreshCache.builder("a b", String.class, String.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everySettingMayBeGivenOnlyOnce() {
    assertThatThrownBy(() -> builder().maximumSize(100).maximumSize(200))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maximumSize was already set to 100");
    assertThatThrownBy(
            () -> builder().expiry(Expiry.ttl(Duration.ofHours(1))).expiry(Expiry.never()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("expiry was already set to ttl(PT1H)");
    assertThatThrownBy(() -> builder().refresh(Refresh.ahead(0.5)).refresh(Refresh.none()))
        .hasMessage("refresh was already set to ahead(0.5)");
    assertThatThrownBy(() -> builder().source(k -> k).source(k -> k))
        .hasMessageStartingWith("source was already set");
    assertThatThrownBy(() -> builder().ticker(() -> 0).ticker(() -> 0))
        .hasMessageStartingWith("ticker was already set");
    assertThatThrownBy(() -> builder().executor(Runnable::run).executor(Runnable::run))
        .hasMessageStartingWith("executor was already set");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    assertThatThrownBy(() -> builder().metrics(registry).metrics(registry))
        .hasMessageStartingWith("metrics was already set");
    assertThatThrownBy(() -> builder().maxKeyLength(10).maxKeyLength(20))
        .hasMessage("maxKeyLength was already set to 10");
  }

  @Test
  void numbersOutOfRangeAreRefusedWithTheValue() {
    assertThatThrownBy(() -> builder().maximumSize(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumSize must not be negative, was -1");
    assertThatThrownBy(() -> builder().maxKeyLength(0))
        .hasMessage("maxKeyLength must be positive, was 0");
  }

  @Test
  void negativeOrZeroDurationsAreRefused() {
    assertThatThrownBy(() -> Expiry.ttl(Duration.ofSeconds(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be positive, was PT-5S");
    assertThatThrownBy(() -> Expiry.ttl(Duration.ZERO))
        .hasMessage("ttl must be positive, was PT0S");
    assertThatThrownBy(() -> Expiry.ttl(null)).hasMessage("ttl must not be null");
    assertThatThrownBy(() -> Expiry.sliding(Duration.ofSeconds(-1), Duration.ofSeconds(1)))
        .hasMessage("idle must be positive, was PT-1S");
    assertThatThrownBy(() -> Expiry.sliding(Duration.ofSeconds(10), Duration.ofSeconds(5)))
        .hasMessage("sliding: cap PT5S must be at least the idle time PT10S");
    assertThatThrownBy(() -> Expiry.adaptive(Duration.ofMillis(-1)))
        .hasMessage("base must be positive, was PT-0.001S");
    assertThatThrownBy(
            () -> Expiry.ttl(Duration.ofHours(1)).bounds(Duration.ofHours(2), Duration.ofHours(1)))
        .hasMessage("bounds: min PT2H is greater than max PT1H");
    assertThatThrownBy(
            () -> Expiry.ttl(Duration.ofHours(1)).bounds(Duration.ofHours(-1), Duration.ofHours(1)))
        .hasMessage("min must not be negative, was PT-1H");
    assertThatThrownBy(() -> Refresh.none().staleWhileRevalidate(Duration.ofSeconds(-1)))
        .hasMessage("stale-while-revalidate window must be positive, was PT-1S");
    assertThatThrownBy(() -> Refresh.none().staleIfError(Duration.ZERO))
        .hasMessage("stale-if-error window must be positive, was PT0S");
  }

  @Test
  void fractionsOutsideTheirRangeAreRefused() {
    Expiry<Object, Object> ttl = Expiry.ttl(Duration.ofHours(1));
    assertThatThrownBy(() -> ttl.jitter(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jitter must be within [0, 1], was -0.1");
    assertThatThrownBy(() -> ttl.jitter(1.5)).hasMessage("jitter must be within [0, 1], was 1.5");
    assertThatThrownBy(() -> ttl.jitter(Double.NaN))
        .hasMessage("jitter must be within [0, 1], was NaN");
    assertThatThrownBy(() -> Expiry.adaptive(Duration.ofHours(1)).volatility(1.01))
        .hasMessage("volatility must be within [0, 1], was 1.01");
    assertThatThrownBy(() -> Expiry.adaptive(Duration.ofHours(1)).hotRate(0))
        .hasMessage("hotRate must be a positive rate, was 0.0");
    assertThatThrownBy(() -> Refresh.ahead(0.0))
        .hasMessage("refresh-ahead threshold must be within (0, 1), was 0.0");
    assertThatThrownBy(() -> Refresh.ahead(1.0))
        .hasMessage("refresh-ahead threshold must be within (0, 1), was 1.0");
    assertThatThrownBy(() -> Refresh.probabilistic(-1))
        .hasMessage("probabilistic refresh beta must be positive, was -1.0");
  }

  @Test
  void contradictorySettingsAreRefusedAtBuildSayingWhatToAdd() {
    assertThatThrownBy(
            () ->
                builder()
                    .expiry(Expiry.ttl(Duration.ofMinutes(1)))
                    .refresh(Refresh.ahead(0.8))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cache 'users': refresh ahead(0.8) reloads entries from a source, but none is set;"
                + " add .source(...) or drop .refresh(...)");
    assertThatThrownBy(() -> builder().source(k -> k).refresh(Refresh.ahead(0.8)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no expiry is set; add .expiry(...)");
  }
}
