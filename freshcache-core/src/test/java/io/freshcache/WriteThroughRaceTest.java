package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A write-through put and, while its writer runs, a write to the same row behind the cache followed
 * by its invalidation (another process's cache-aside write, a change capture): the put's source
 * write lands first, the other write and its invalidation next, the put's store last. The cache
 * must not then hold the put's value over the source's newer one. The interleaving is made
 * deterministic by doing the other write from inside the put's writer, after its own write.
 */
class WriteThroughRaceTest {

  private final Map<String, String> table = new ConcurrentHashMap<>();
  private final AtomicReference<Consumer<FreshCache<String, String>>> duringWrite =
      new AtomicReference<>();

  private FreshCache<String, String> cache(String name) {
    AtomicReference<FreshCache<String, String>> self = new AtomicReference<>();
    FreshCache<String, String> cache =
        FreshCache.builder(name, String.class, String.class)
            .source(table::get)
            .writes(
                Writes.through(
                    (key, value) -> {
                      table.put(key, value);
                      Consumer<FreshCache<String, String>> race = duringWrite.getAndSet(null);
                      if (race != null) {
                        race.accept(self.get());
                      }
                    }))
            .build();
    self.set(cache);
    return cache;
  }

  @Test
  void anInvalidationOfTheKeyWhileTheSourceTookThePutLeavesTheCacheToTheSource() {
    FreshCache<String, String> cache = cache("key");
    table.put("k", "before");
    duringWrite.set(
        c -> {
          table.put("k", "outside");
          c.invalidate("k");
        });

    cache.put("k", "mine");

    assertThat(cache.get("k")).isEqualTo(table.get("k")).isEqualTo("outside");
  }

  @Test
  void aClearWhileTheSourceTookThePutLeavesTheCacheToTheSource() {
    FreshCache<String, String> cache = cache("clear");
    duringWrite.set(
        c -> {
          table.put("k", "outside");
          c.invalidateAll();
        });

    cache.put("k", "mine");

    assertThat(cache.get("k")).isEqualTo("outside");
  }

  @Test
  void aPatternInvalidationWhileTheSourceTookThePutOfANewKeyLeavesTheCacheToTheSource() {
    FreshCache<String, String> cache = cache("pattern");
    duringWrite.set(
        c -> {
          table.put("user:1", "outside");
          c.group().invalidatePattern("user:*");
        });

    cache.put("user:1", "mine");

    assertThat(cache.get("user:1")).isEqualTo("outside");
  }

  @Test
  void withoutARacingWriteThePutIsStoredAsBefore() {
    FreshCache<String, String> cache = cache("plain");

    cache.put("k", "mine");

    assertThat(cache.getIfPresent("k")).isEqualTo("mine");
    assertThat(table).containsEntry("k", "mine");
  }
}
