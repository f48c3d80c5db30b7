package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.testing.CountingSource;
import io.freshcache.testing.FakeTicker;
import io.freshcache.testing.ManualExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** {@code refresh(key)}: a reload in the background, readers keep the current value meanwhile. */
class ExplicitRefreshTest {

  private final FakeTicker ticker = new FakeTicker();
  private final ManualExecutor executor = new ManualExecutor();
  private final CountingSource<String, String> source = new CountingSource<>(k -> "v1");
  private final List<RemovalCause> removals = new ArrayList<>();
  private final FreshCache<String, String> cache =
      FreshCache.builder("refresh", String.class, String.class)
          .source(source)
          .ticker(ticker)
          .executor(executor)
          .removalListener((key, value, cause) -> removals.add(cause))
          .build();

  @Test
  void readersGetTheCurrentValueUntilTheRefreshedOneLands() {
    cache.get("k");
    source.set("k", "v2");

    CompletableFuture<String> refreshed = cache.refresh("k");
    assertThat(refreshed).isNotDone();
    assertThat(cache.get("k")).isEqualTo("v1");
    assertThat(source.loads()).isEqualTo(1);

    executor.runAll();
    assertThat(refreshed).isCompletedWithValue("v2");
    assertThat(cache.get("k")).isEqualTo("v2");
    assertThat(source.loads()).isEqualTo(2);
    assertThat(removals).containsExactly(RemovalCause.REPLACED);
    assertThat(cache.analytics().stats().refreshes()).isEqualTo(1);
  }

  @Test
  void anInvalidationDuringTheRefreshWins() {
    cache.get("k");
    source.set("k", "v2");
    CompletableFuture<String> refreshed = cache.refresh("k");
    // The invalidation lands while the source answers the refresh, before its value is stored.
    source.duringLoad(() -> cache.invalidate("k"));

    executor.runAll();

    assertThat(refreshed).isCompletedWithValue("v2"); // the caller of refresh still gets it
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.analytics().stats().voidedLoads()).isEqualTo(1);
  }

  @Test
  void aPutDuringTheRefreshWins() {
    cache.get("k");
    CompletableFuture<String> refreshed = cache.refresh("k");
    source.duringLoad(() -> cache.put("k", "put"));

    executor.runAll();

    assertThat(refreshed).isCompletedWithValue("v1");
    assertThat(cache.getIfPresent("k")).isEqualTo("put");
  }

  @Test
  void aRefreshOfAnAbsentKeyLoadsItAndReadersJoinThatLoad() {
    CompletableFuture<String> refreshed = cache.refresh("k");
    CompletableFuture<String> reader = cache.async().get("k");
    assertThat(cache.refresh("k")).isSameAs(refreshed);

    executor.runAll();
    assertThat(refreshed).isCompletedWithValue("v1");
    assertThat(reader).isCompletedWithValue("v1");
    assertThat(source.loads()).isEqualTo(1);
  }

  @Test
  void aRefreshJoinsALoadAlreadyInFlight() {
    CompletableFuture<String> miss = cache.async().get("k");
    CompletableFuture<String> refreshed = cache.refresh("k");

    executor.runAll();
    assertThat(refreshed).isSameAs(miss).isCompletedWithValue("v1");
    assertThat(source.loads()).isEqualTo(1);
  }

  @Test
  void aFailedRefreshFailsItsFutureAndKeepsTheCurrentValue() {
    cache.get("k");
    IllegalStateException failure = new IllegalStateException("db down");
    source.failWith(failure);

    CompletableFuture<String> refreshed = cache.refresh("k");
    executor.runAll();

    assertThat(refreshed).isCompletedExceptionally();
    assertThatThrownBy(refreshed::join).hasCause(failure);
    assertThat(cache.get("k")).isEqualTo("v1");
  }

  @Test
  void underWriteBehindAnUnflushedWriteIsNotReloadedOver() {
    Map<String, String> rows = new ConcurrentHashMap<>(Map.of("k", "old"));
    try (FreshCache<String, String> behind =
        FreshCache.builder("refresh-behind", String.class, String.class)
            .source(rows::get)
            .executor(executor)
            .writes(Writes.behind(rows::put).flushEvery(Duration.ofHours(1)))
            .build()) {
      behind.put("k", "new");

      CompletableFuture<String> refreshed = behind.refresh("k");

      assertThat(refreshed).isCompletedWithValue("new");
      assertThat(executor.queued()).isZero();
      assertThat(behind.get("k")).isEqualTo("new");
    }
  }

  @Test
  void aCacheWithoutSourceCannotRefresh() {
    FreshCache<String, String> noSource =
        FreshCache.builder("refresh-none", String.class, String.class).build();
    assertThatThrownBy(() -> noSource.refresh("k"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no source");
  }
}
