package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.testing.FakeTicker;
import io.freshcache.testing.SignalingBus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A removal listener hears every entry that leaves, once, with the cause, and never on a hit. */
class RemovalListenerTest {

  record Removal(String key, String value, RemovalCause cause) {}

  /** Records what it is told. */
  static final class Recorder implements RemovalListener<String, String> {
    final List<Removal> heard = new CopyOnWriteArrayList<>();

    @Override
    public void onRemoval(String key, String value, RemovalCause cause) {
      heard.add(new Removal(key, value, cause));
    }
  }

  private final FakeTicker ticker = new FakeTicker();
  private final Recorder recorder = new Recorder();

  private FreshCacheBuilder<String, String> builder(String name) {
    return FreshCache.builder(name, String.class, String.class)
        .ticker(ticker)
        .removalListener(recorder);
  }

  @Test
  void putsOverAnEntryAreReplacedAndLocalInvalidationsAreInvalidated() {
    FreshCache<String, String> cache = builder("removal-local").build();
    cache.put("a", "1");
    cache.put("a", "2");
    cache.put("b", "x");
    cache.put("c", "y");
    cache.invalidate("a");
    cache.invalidateAll(List.of("b"));
    cache.invalidateAll();
    cache.invalidate("absent");

    assertThat(recorder.heard)
        .containsExactly(
            new Removal("a", "1", RemovalCause.REPLACED),
            new Removal("a", "2", RemovalCause.INVALIDATED),
            new Removal("b", "x", RemovalCause.INVALIDATED),
            new Removal("c", "y", RemovalCause.INVALIDATED));
  }

  @Test
  void aHitNeverCallsTheListener() {
    FreshCache<String, String> cache = builder("removal-hit").source(key -> "v").build();
    for (int i = 0; i < 1_000; i++) {
      cache.get("k");
      cache.getIfPresent("k");
    }
    assertThat(recorder.heard).isEmpty();
  }

  @Test
  void expiredEntriesAreExpiredAndSizeEvictionsAreEvicted() {
    FreshCache<String, String> timed =
        builder("removal-expiry").expiry(Expiry.ttl(Duration.ofMinutes(1))).build();
    timed.put("old", "v");
    ticker.advance(Duration.ofMinutes(2));
    assertThat(timed.estimatedSize()).isZero(); // runs the upkeep

    assertThat(recorder.heard).containsExactly(new Removal("old", "v", RemovalCause.EXPIRED));

    Recorder sized = new Recorder();
    FreshCache<String, String> small =
        FreshCache.builder("removal-size", String.class, String.class)
            .ticker(ticker)
            .maximumSize(1)
            .removalListener(sized)
            .build();
    small.put("a", "1");
    small.put("b", "2");
    small.put("c", "3");
    assertThat(small.estimatedSize()).isEqualTo(1);
    assertThat(sized.heard).hasSize(2).allMatch(r -> r.cause() == RemovalCause.EVICTED);
  }

  @Test
  void aLoadOverAStaleEntryTellsItExpired() {
    FreshCache<String, String> cache =
        builder("removal-stale")
            .expiry(Expiry.ttl(Duration.ofMinutes(1)))
            .refresh(Refresh.none().staleIfError(Duration.ofMinutes(10)))
            .source(key -> "new")
            .build();
    cache.put("k", "old");
    ticker.advance(Duration.ofMinutes(2)); // stale, kept for stale-if-error

    assertThat(cache.get("k")).isEqualTo("new");
    assertThat(recorder.heard).containsExactly(new Removal("k", "old", RemovalCause.EXPIRED));
  }

  @Test
  void aListenerThatThrowsIsLoggedAndBreaksNothing() {
    FreshCache<String, String> cache =
        FreshCache.builder("removal-throws", String.class, String.class)
            .ticker(ticker)
            .removalListener(
                (key, value, cause) -> {
                  throw new IllegalStateException("listener bug");
                })
            .build();
    try (CapturedLog log = new CapturedLog()) {
      cache.put("k", "1");
      cache.put("k", "2");
      assertThat(cache.getIfPresent("k")).isEqualTo("2");
      cache.invalidate("k");
      assertThat(cache.getIfPresent("k")).isNull();
      cache.put("k", "3");
      assertThat(cache.getIfPresent("k")).isEqualTo("3");

      assertThat(log.linesWith("cache 'removal-throws': the removal listener failed on k"))
          .hasSize(2);
    }
  }

  @Test
  void invalidationsFromTheBusAreInvalidatedByBusAndTheSameCallsHereAreInvalidated() {
    InProcessBus bus = new InProcessBus();
    Recorder here = new Recorder();
    Recorder there = new Recorder();
    try (CacheGroup a = CacheGroup.builder("removal-bus").bus(bus).build();
        CacheGroup b = CacheGroup.builder("removal-bus").bus(bus).build()) {
      // Loaded, not put, on each instance: a put would drop the other instance's copy.
      FreshCache<String, String> mine = loading(a, here);
      FreshCache<String, String> theirs = loading(b, there);
      List<String> keys = List.of("key", "tagged", "p:1", "derived", "rest");
      for (FreshCache<String, String> cache : List.of(mine, theirs)) {
        keys.forEach(cache::get);
      }

      mine.invalidate("key");
      a.invalidateTag("org:1");
      a.invalidatePattern("p:*");
      a.invalidateCascade("root");
      a.invalidateAll();
      // A tag invalidation does not visit entries: the next read finds them dead.
      assertThat(mine.getIfPresent("tagged")).isNull();
      assertThat(theirs.getIfPresent("tagged")).isNull();

      assertThat(here.heard).extracting(Removal::key).containsExactlyInAnyOrderElementsOf(keys);
      assertThat(here.heard).allMatch(r -> r.cause() == RemovalCause.INVALIDATED);
      assertThat(there.heard).extracting(Removal::key).containsExactlyInAnyOrderElementsOf(keys);
      assertThat(there.heard).allMatch(r -> r.cause() == RemovalCause.INVALIDATED_BY_BUS);
    }
  }

  private static FreshCache<String, String> loading(CacheGroup group, Recorder recorder) {
    return group
        .cache("c", String.class, String.class)
        .source(key -> "v:" + key)
        .tags((key, value) -> key.equals("tagged") ? Tags.of("org:1") : null)
        .dependsOn((key, value) -> key.equals("derived") ? DependsOn.keys("root") : null)
        .removalListener(recorder)
        .build();
  }

  @Test
  void aTagInvalidatedEntryLeavingByTimeIsToldAsInvalidated() {
    FreshCache<String, String> cache =
        builder("removal-tag-expiry").expiry(Expiry.ttl(Duration.ofMinutes(1))).build();
    cache.put("k", "v", Tags.of("t"));
    cache.group().invalidateTag("t");
    ticker.advance(Duration.ofMinutes(2));
    cache.estimatedSize(); // the upkeep removes it by time; it was invalidated before

    assertThat(recorder.heard).containsExactly(new Removal("k", "v", RemovalCause.INVALIDATED));
  }

  @Test
  void aLossOnTheBusClearsWithInvalidatedByBus() {
    SignalingBus bus = new SignalingBus();
    try (CacheGroup group = CacheGroup.builder("removal-loss").bus(bus).build()) {
      FreshCache<String, String> cache =
          group.cache("c", String.class, String.class).removalListener(recorder).build();
      cache.put("k", "v");
      bus.reportLoss("connection dropped");

      assertThat(recorder.heard)
          .containsExactly(new Removal("k", "v", RemovalCause.INVALIDATED_BY_BUS));
    }
  }

  @Test
  void aPutOnAnotherInstanceDropsTheCopyHereAsInvalidatedByBus() {
    InProcessBus bus = new InProcessBus();
    Recorder there = new Recorder();
    try (CacheGroup a = CacheGroup.builder("removal-put").bus(bus).build();
        CacheGroup b = CacheGroup.builder("removal-put").bus(bus).build()) {
      FreshCache<String, String> mine = loading(a, recorder);
      FreshCache<String, String> theirs = loading(b, there);
      mine.get("k");
      theirs.get("k");

      mine.put("k", "v2");

      assertThat(recorder.heard).containsExactly(new Removal("k", "v:k", RemovalCause.REPLACED));
      assertThat(there.heard)
          .containsExactly(new Removal("k", "v:k", RemovalCause.INVALIDATED_BY_BUS));
    }
  }
}
