package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.testing.CountingSource;
import io.freshcache.testing.FakeTicker;
import io.freshcache.testing.ManualExecutor;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StaleIfErrorTest {

  private final FakeTicker ticker = new FakeTicker();
  private final ManualExecutor executor = new ManualExecutor();
  private final CountingSource<String, String> source = new CountingSource<>(k -> "v1");
  private final FreshCache<String, String> cache =
      FreshCache.builder("sie", String.class, String.class)
          .expiry(Expiry.ttl(Duration.ofSeconds(10)))
          .refresh(Refresh.none().staleIfError(Duration.ofSeconds(30)))
          .source(source)
          .ticker(ticker)
          .executor(executor)
          .build();

  @Test
  void aFailingSourceIsAnsweredWithTheOldValueInsideTheWindow() {
    cache.get("k");
    source.failWith(new IllegalStateException("db down"));
    ticker.advance(Duration.ofSeconds(10 + 30).minusNanos(1));

    assertThat(cache.get("k")).isEqualTo("v1");
    assertThat(cache.analytics().stats().staleIfErrorServed()).isEqualTo(1);
    assertThat(cache.analytics().stats().loadFailures()).isEqualTo(1);
  }

  @Test
  void pastTheWindowTheSourcesExceptionReachesTheCaller() {
    cache.get("k");
    IllegalStateException down = new IllegalStateException("db down");
    source.failWith(down);
    ticker.advance(Duration.ofSeconds(40));

    assertThatThrownBy(() -> cache.get("k")).isSameAs(down);
    assertThat(cache.analytics().stats().staleIfErrorServed()).isZero();
  }

  @Test
  void afterAFailureReadersGetTheOldValueAtOnceAndTheSourceIsRetriedInTheBackground() {
    cache.get("k");
    source.failWith(new IllegalStateException("db down"));
    ticker.advance(Duration.ofSeconds(15));
    assertThat(cache.get("k")).isEqualTo("v1"); // this reader waited on the failing load
    assertThat(source.loads()).isEqualTo(2);

    for (int i = 0; i < 50; i++) {
      assertThat(cache.get("k")).isEqualTo("v1"); // the others do not, and do not call it
    }
    assertThat(source.loads()).isEqualTo(2);
    assertThat(executor.queued()).isZero();

    ticker.advance(Duration.ofSeconds(1)); // the retry interval
    source.failWith(null);
    source.set("k", "v2");
    assertThat(cache.get("k")).isEqualTo("v1");
    assertThat(executor.queued()).isEqualTo(1); // one background retry, readers not blocked
    executor.runAll();
    assertThat(cache.get("k")).isEqualTo("v2");
    assertThat(source.loads()).isEqualTo(3);
  }

  @Test
  void aFailedBackgroundRetryKeepsServingTheOldValueUntilTheWindowCloses() {
    cache.get("k");
    source.failWith(new IllegalStateException("db down"));
    ticker.advance(Duration.ofSeconds(15));
    cache.get("k");
    ticker.advance(Duration.ofSeconds(1));
    cache.get("k");
    executor.runAll(); // the retry fails too
    assertThat(cache.get("k")).isEqualTo("v1");

    ticker.advance(Duration.ofSeconds(25)); // 41 s after expiry: past the 30 s window
    assertThatThrownBy(() -> cache.get("k")).hasMessage("db down");
  }

  @Test
  void anInvalidatedEntryIsNeverServedAsAFallback() {
    cache.get("k");
    cache.invalidate("k");
    IllegalStateException down = new IllegalStateException("db down");
    source.failWith(down);
    assertThatThrownBy(() -> cache.get("k")).isSameAs(down);
  }

  @Test
  void withoutStaleIfErrorAnExpiredEntryIsNotAFallback() {
    FreshCache<String, String> plain =
        FreshCache.builder("plain", String.class, String.class)
            .expiry(Expiry.ttl(Duration.ofSeconds(10)))
            .source(source)
            .ticker(ticker)
            .build();
    plain.get("k");
    source.failWith(new IllegalStateException("db down"));
    ticker.advance(Duration.ofSeconds(11));
    assertThatThrownBy(() -> plain.get("k")).hasMessage("db down");
  }
}
