package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.stats.VerifierStats;
import io.freshcache.testing.FakeTicker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FreshnessVerifierTest {

  private final FakeTicker ticker = new FakeTicker();

  /** The source of truth: per key, a value "v<version>". */
  private final Map<String, Integer> truth = new ConcurrentHashMap<>();

  private final AtomicInteger sourceReads = new AtomicInteger();
  private final List<Thread> sourceThreads = new ArrayList<>();

  private String load(String key) {
    sourceReads.incrementAndGet();
    synchronized (sourceThreads) {
      sourceThreads.add(Thread.currentThread());
    }
    return "v" + truth.getOrDefault(key, 1);
  }

  private FreshCacheBuilder<String, String> builder(String name) {
    return FreshCache.builder(name, String.class, String.class)
        .ticker(ticker)
        .executor(Runnable::run)
        .expiry(Expiry.ttl(Duration.ofMinutes(10)))
        .source(this::load);
  }

  private static VerifierStats verification(FreshCache<?, ?> cache) {
    return cache.analytics().verification().orElseThrow();
  }

  @Test
  void aValueChangedBehindTheCachesBackIsCaughtOnceTheGraceIsOver() {
    FreshCache<String, String> cache = builder("behind").verify(1.0, 1_000).build();
    assertThat(cache.get("k")).isEqualTo("v1");
    ticker.advance(Duration.ofSeconds(30));
    truth.put("k", 2); // written to the source, never invalidated: TTL alone

    assertThat(cache.get("k")).isEqualTo("v1"); // a stale hit, sampled
    assertThat(verification(cache).stale()).as("within the grace period").isZero();
    ticker.advance(Duration.ofMillis(1_001));

    VerifierStats found = verification(cache);
    assertThat(found.stale()).isEqualTo(1);
    assertThat(found.checked()).isEqualTo(1);
    assertThat(found.staleRate()).isEqualTo(1.0);
    assertThat(found.lastCaught()).extracting(VerifierStats.Caught::key).containsExactly("k");
    assertThat(found.lastCaught().get(0).age()).isEqualTo(Duration.ofMillis(31_001));
    // 31 s old: counted under the one-minute bucket
    assertThat(found.staleAges())
        .filteredOn(b -> b.under().equals(Duration.ofMinutes(1)))
        .extracting(VerifierStats.AgeBucket::count)
        .containsExactly(1L);
  }

  @Test
  void aMismatchTheCacheResolvesWithinTheGraceIsNotStale() {
    FreshCache<String, String> cache = builder("inflight").verify(1.0, 1_000).build();
    cache.get("k");
    truth.put("k", 2);
    cache.get("k"); // the hit's value is out of date, its invalidation on its way
    cache.invalidate("k"); // ...and here
    ticker.advance(Duration.ofSeconds(2));

    VerifierStats found = verification(cache);
    assertThat(found.stale()).isZero();
    assertThat(found.resolved()).isEqualTo(1);
    assertThat(found.checked()).isEqualTo(1);
  }

  @Test
  void hitsTheSourceAgreesWithAreFreshAndTheNinesAreWhatTheSampleVouchesFor() {
    FreshCache<String, String> cache = builder("agrees").verify(1.0, 1_000_000).build();
    cache.get("k");
    for (int i = 0; i < 1_000; i++) {
      cache.get("k");
    }

    VerifierStats found = verification(cache);
    assertThat(found.checked()).isEqualTo(1_000);
    assertThat(found.stale()).isZero();
    assertThat(found.staleRateLow()).isZero();
    // 0 in 1,000: the 95% upper bound is about 0.4%, so a bit more than two nines are vouched for
    assertThat(found.staleRateHigh()).isBetween(0.003, 0.005);
    assertThat(found.nines()).isBetween(2.3, 2.6);
  }

  @Test
  void theSourceReadsItAddsAreBoundedByTheBudget() {
    FreshCache<String, String> cache = builder("budget").verify(1.0, 5).build();
    cache.get("k");
    int before = sourceReads.get();
    for (int i = 0; i < 100; i++) {
      cache.get("k");
    }
    assertThat(sourceReads.get() - before).isEqualTo(5); // a second's worth of tokens
    ticker.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 100; i++) {
      cache.get("k");
    }

    assertThat(sourceReads.get() - before).isEqualTo(10);
    VerifierStats found = verification(cache);
    assertThat(found.sampled()).isEqualTo(200);
    assertThat(found.overBudget()).isEqualTo(190);
    assertThat(found.sourceReadsPerSecondLimit()).isEqualTo(5.0);
  }

  @Test
  void aHitNeverWaitsForTheCheck() {
    List<Runnable> queued = new ArrayList<>();
    FreshCache<String, String> cache =
        FreshCache.builder("offpath", String.class, String.class)
            .ticker(ticker)
            .executor(queued::add) // runs nothing until the test says so
            .expiry(Expiry.ttl(Duration.ofMinutes(10)))
            .source(this::load)
            .verify(1.0, 1_000)
            .build();
    cache.get("k"); // the load runs on the caller's thread
    synchronized (sourceThreads) {
      sourceThreads.clear();
    }
    int before = sourceReads.get();

    for (int i = 0; i < 10; i++) {
      assertThat(cache.get("k")).isEqualTo("v1");
    }
    assertThat(sourceReads.get()).as("no hit read the source").isEqualTo(before);
    assertThat(queued).hasSize(10);

    Thread checker = new Thread(() -> queued.forEach(Runnable::run), "checker");
    checker.start();
    try {
      checker.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertThat(sourceThreads).containsOnly(checker);
    assertThat(verification(cache).checked()).isEqualTo(10);
  }

  @Test
  void versionsDecideWhenTheCacheKnowsThem() {
    FreshCache<String, String> cache =
        builder("versions").version(v -> Long.parseLong(v.substring(1))).verify(1.0, 1_000).build();
    cache.get("k");
    cache.get("k"); // the source agrees: same version
    truth.put("k", 2);
    cache.get("k"); // older than the source's
    ticker.advance(Duration.ofSeconds(2));

    VerifierStats found = verification(cache);
    assertThat(found.checked()).isEqualTo(2);
    assertThat(found.stale()).isEqualTo(1);
  }

  /**
   * A sampled estimate against the ground truth: 10% of the keys were changed behind the cache's
   * back; every key is read as often; the verifier, sampling a third of the hits, estimates the
   * share of stale hits.
   */
  @Test
  void theEstimateAgreesWithTheGroundTruth() {
    FreshCache<String, String> cache = builder("estimate").verify(0.3, 1_000_000).build();
    int keys = 1_000;
    for (int i = 0; i < keys; i++) {
      cache.get("k" + i);
    }
    for (int i = 0; i < keys; i += 10) {
      truth.put("k" + i, 2);
    }
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < keys; i++) {
        cache.get("k" + i);
      }
    }
    ticker.advance(Duration.ofSeconds(2));

    VerifierStats found = verification(cache);
    // ~6,000 checks: one standard error of the estimate is about 0.4 points
    assertThat(found.checked()).isBetween(5_000L, 7_000L);
    assertThat(found.staleRate()).isCloseTo(0.10, org.assertj.core.data.Offset.offset(0.025));
    assertThat(found.staleRateLow()).isLessThan(found.staleRate());
    assertThat(found.staleRateHigh()).isGreaterThan(found.staleRate());
    assertThat(found.staleRateHigh() - found.staleRateLow()).isLessThan(0.03);
  }

  @Test
  void theFiguresAreMeters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FreshCache<String, String> cache =
        builder("metered").metrics(registry).verify(1.0, 1_000).build();
    cache.get("k");
    cache.get("k");
    truth.put("k", 2);
    cache.get("k");
    ticker.advance(Duration.ofSeconds(2));

    assertThat(
            registry
                .get("freshcache.verify.checks")
                .tag("cache", "metered")
                .tag("result", "stale")
                .functionCounter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            registry
                .get("freshcache.verify.checks")
                .tag("result", "fresh")
                .functionCounter()
                .count())
        .isEqualTo(1.0);
    assertThat(registry.get("freshcache.verify.nines").gauge().value())
        .isCloseTo(-Math.log10(0.5), org.assertj.core.data.Offset.offset(1e-9));
    cache.close();
    assertThat(registry.find("freshcache.verify.checks").meters()).isEmpty();
  }

  @Test
  void aSourceOfItsOwnIsWhatItChecksAgainst() {
    Map<String, String> replica = new ConcurrentHashMap<>(Map.of("k", "v1"));
    FreshCache<String, String> cache =
        FreshCache.builder("replica", String.class, String.class)
            .ticker(ticker)
            .executor(Runnable::run)
            .verify(
                Verify.<String, String>sampling(1.0)
                    .atMostReadsPerSecond(1_000)
                    .against(replica::get))
            .build(); // no source of its own: filled by puts
    cache.put("k", "v1");
    cache.getIfPresent("k");
    replica.put("k", "v2");
    cache.getIfPresent("k");
    ticker.advance(Duration.ofSeconds(2));

    VerifierStats found = verification(cache);
    assertThat(found.checked()).isEqualTo(2);
    assertThat(found.stale()).isEqualTo(1);
    assertThat(sourceReads.get()).as("the cache's own source is not asked").isZero();
  }

  @Test
  void aCacheThatDoesNotVerifySaysSo() {
    FreshCache<String, String> cache = builder("plain").build();
    assertThat(cache.analytics().verification()).isEmpty();
  }

  @Test
  void badSettingsAreRefusedNamingTheFix() {
    assertThatThrownBy(
            () ->
                FreshCache.builder("nosource", String.class, String.class).verify(0.01, 10).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cache 'nosource': verify(...) checks hits against the source by reading it again,"
                + " but this cache has none; add .source(...) or drop .verify(...)");
    assertThatThrownBy(() -> builder("a").verify(0, 10))
        .hasMessageContaining("sampleRate must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> builder("b").verify(1.5, 10))
        .hasMessageContaining("sampleRate must be in (0, 1], was 1.5");
    assertThatThrownBy(() -> builder("c").verify(Double.NaN, 10))
        .hasMessageContaining("sampleRate must be in (0, 1], was NaN");
    assertThatThrownBy(() -> builder("d").verify(0.1, 0))
        .hasMessageContaining("maxSourceReadsPerSecond must be positive and finite, was 0.0");
    assertThatThrownBy(() -> Verify.sampling(0.1).grace(Duration.ofSeconds(-1)))
        .hasMessageContaining("grace must not be negative, was PT-1S");
    assertThatThrownBy(() -> builder("f").verify(0.1, 10).verify(0.2, 10))
        .hasMessageContaining("verify was already set");
  }
}
