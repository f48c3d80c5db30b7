package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.testing.CountingSource;
import io.freshcache.testing.FakeTicker;
import io.freshcache.testing.ManualExecutor;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RefreshAheadTest {

  private final FakeTicker ticker = new FakeTicker();
  private final ManualExecutor executor = new ManualExecutor();
  private final CountingSource<String, String> source = new CountingSource<>(k -> "v1");
  private final FreshCache<String, String> cache =
      FreshCache.builder("ahead", String.class, String.class)
          .expiry(Expiry.ttl(Duration.ofSeconds(100)))
          .refresh(Refresh.ahead(0.8))
          .source(source)
          .ticker(ticker)
          .executor(executor)
          .build();

  @Test
  void noRefreshBeforeTheThreshold() {
    cache.get("k");
    ticker.advance(Duration.ofSeconds(80).minusNanos(1));
    cache.get("k");
    assertThat(executor.queued()).isZero();
  }

  @Test
  void pastTheThresholdReadersGetTheOldValueWhileExactlyOneReloadRuns() {
    cache.get("k");
    source.set("k", "v2");
    ticker.advance(Duration.ofSeconds(80));

    for (int i = 0; i < 100; i++) {
      assertThat(cache.get("k")).isEqualTo("v1");
    }
    assertThat(executor.queued()).isEqualTo(1);
    assertThat(source.loads()).isEqualTo(1); // the reload has not run yet: nobody waited on it

    executor.runAll();
    assertThat(source.loads()).isEqualTo(2);
    assertThat(cache.get("k")).isEqualTo("v2");
    assertThat(cache.analytics().stats().refreshes()).isEqualTo(1);
    // the refreshed entry has a full lifetime again
    ticker.advance(Duration.ofSeconds(79));
    cache.get("k");
    assertThat(executor.queued()).isZero();
  }

  @Test
  void aFailedRefreshKeepsTheOldValueUntilItExpires() {
    cache.get("k");
    ticker.advance(Duration.ofSeconds(90));
    source.failWith(new IllegalStateException("db down"));
    cache.get("k");
    executor.runAll();

    assertThat(cache.get("k")).isEqualTo("v1");
    assertThat(cache.analytics().stats().loadFailures()).isEqualTo(1);
    // a new refresh may start after the failed one
    assertThat(executor.queued()).isEqualTo(1);
  }

  @Test
  void aMissDuringARefreshJoinsItInsteadOfLoadingAgain() {
    cache.get("k");
    source.set("k", "v2");
    ticker.advance(Duration.ofSeconds(99));
    cache.get("k"); // queues the refresh
    ticker.advance(Duration.ofSeconds(1)); // now expired: a read must wait for a load
    var waiting = cache.async().get("k");
    assertThat(waiting).isNotDone();
    executor.runAll();
    assertThat(waiting).isCompletedWithValue("v2");
    assertThat(source.loads()).isEqualTo(2);
  }
}
