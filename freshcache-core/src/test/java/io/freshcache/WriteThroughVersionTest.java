package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.event.Invalidation;
import io.freshcache.spi.SharedTier;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A put that is refused must not have written the source first, and every refusal says what was and
 * was not stored, in the cache and in the source.
 */
class WriteThroughVersionTest {

  record Product(String name, long version) {}

  private final Map<String, Product> db = new ConcurrentHashMap<>();
  private final AtomicInteger writes = new AtomicInteger();

  private FreshCache<String, Product> throughCache(Writer<String, Product> writer) {
    return FreshCache.builder("products", String.class, Product.class)
        .expiry(Expiry.never())
        .version(Product::version)
        .source(db::get)
        .writes(Writes.through(writer))
        .build();
  }

  private void save(String key, Product product) {
    writes.incrementAndGet();
    db.put(key, product);
  }

  @Test
  void aPutOlderThanTheCachedVersionIsRefusedBeforeTheSourceIsWritten() {
    FreshCache<String, Product> cache = throughCache(this::save);
    cache.put("k", new Product("v2", 2));

    assertThatThrownBy(() -> cache.put("k", new Product("v1", 1)))
        .isInstanceOf(VersionConflictException.class)
        .hasMessage(
            "cache 'products': version 1 of key k is older than version 2 already seen; nothing"
                + " was stored, in the cache or in the source")
        .satisfies(e -> assertThat(((VersionConflictException) e).sourceWritten()).isFalse());

    assertThat(db.get("k").name()).isEqualTo("v2");
    assertThat(cache.getIfPresent("k").name()).isEqualTo("v2");
    assertThat(writes).hasValue(1);
    assertThat(cache.analytics().stats().versionConflicts()).isEqualTo(1);
  }

  @Test
  void aPutOlderThanTheKeysVersionedInvalidationIsRefusedBeforeTheSourceIsWritten() {
    FreshCache<String, Product> cache = throughCache(this::save);
    cache.group().invalidate(new Invalidation.Keys(null, List.of("k"), false, OptionalLong.of(8)));

    assertThatThrownBy(() -> cache.put("k", new Product("v7", 7)))
        .isInstanceOf(VersionConflictException.class)
        .hasMessageEndingWith("nothing was stored, in the cache or in the source");

    assertThat(db).doesNotContainKey("k");
    assertThat(writes).hasValue(0);
    cache.put("k", new Product("v8", 8));
    assertThat(db.get("k").name()).isEqualTo("v8");
  }

  @Test
  void aDependencyCycleIsRefusedBeforeTheSourceIsWritten() {
    FreshCache<String, Product> cache = throughCache(this::save);
    cache.put("x", new Product("x", 1), DependsOn.keys("y"));

    assertThatThrownBy(() -> cache.put("y", new Product("y", 1), DependsOn.keys("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dependency cycle y -> x -> y")
        .hasMessageEndingWith("nothing was stored, in the cache or in the source");

    assertThat(db).doesNotContainKey("y");
    assertThat(writes).hasValue(1);
  }

  /**
   * A versioned invalidation can still arrive (from the bus) while the writer runs: the source then
   * holds the put's value and the cache must neither keep an older one nor claim nothing changed.
   */
  @Test
  void aConflictArrivingWhileTheSourceIsWrittenInvalidatesTheKeyAndSaysTheSourceHoldsTheValue() {
    AtomicInteger published = new AtomicInteger();
    FreshCache<String, Product>[] self = new FreshCache[1];
    FreshCache<String, Product> cache =
        throughCache(
            (key, product) -> {
              if (product.version() == 5) {
                self[0]
                    .group()
                    .invalidate(
                        new Invalidation.Keys(null, List.of(key), false, OptionalLong.of(9)));
              }
              save(key, product);
            });
    self[0] = cache;
    cache.put("k", new Product("v4", 4));
    cache
        .group()
        .subscribe(
            CacheGroup.INVALIDATE_EVENT,
            event -> {
              published.incrementAndGet();
              return List.of();
            });

    assertThatThrownBy(() -> cache.put("k", new Product("v5", 5)))
        .isInstanceOf(VersionConflictException.class)
        .hasMessage(
            "cache 'products': version 5 of key k is older than version 9 already seen; the"
                + " source took the write, but the cache does not hold it: k was invalidated, so"
                + " the next read loads it from the source")
        .satisfies(e -> assertThat(((VersionConflictException) e).sourceWritten()).isTrue());

    assertThat(db.get("k").name()).isEqualTo("v5");
    assertThat(cache.getIfPresent("k")).isNull();
    // the versioned invalidation from inside the writer, then the key's invalidation after the
    // refusal (the other instances hold what the source held before)
    assertThat(published).hasValue(2);
  }

  @Test
  void aSourceFailureSaysNothingWasStoredInEither() {
    FreshCache<String, Product> cache =
        throughCache(
            (key, product) -> {
              throw new java.sql.SQLException("constraint violated");
            });

    assertThatThrownBy(() -> cache.put("k", new Product("v1", 1)))
        .isInstanceOf(CacheWriteException.class)
        .hasMessage(
            "cache 'products': the source refused the write of k (its writer threw); nothing was"
                + " stored, in the cache or in the source")
        .hasRootCauseMessage("constraint violated");
    assertThat(cache.getIfPresent("k")).isNull();
  }

  @Test
  void aWriteAroundSourceFailureSaysTheCacheIsUnchanged() {
    FreshCache<String, Product> cache =
        FreshCache.builder("around", String.class, Product.class)
            .source(db::get)
            .writes(
                Writes.around(
                    (key, product) -> {
                      throw new java.sql.SQLException("constraint violated");
                    }))
            .build();

    assertThatThrownBy(() -> cache.put("k", new Product("v1", 1)))
        .isInstanceOf(CacheWriteException.class)
        .hasMessage(
            "cache 'around': the source refused the write of k (its writer threw); nothing was"
                + " stored in the source, and the cache is unchanged");
  }

  @Test
  void aWriteBehindPutOlderThanTheCachedVersionIsNeitherStoredNorQueued() {
    FreshCache<String, Product> cache =
        FreshCache.builder("behind", String.class, Product.class)
            .version(Product::version)
            .writes(Writes.behind(this::save))
            .build();
    try {
      cache.put("k", new Product("v2", 2));

      assertThatThrownBy(() -> cache.put("k", new Product("v1", 1)))
          .isInstanceOf(VersionConflictException.class)
          .hasMessageEndingWith("nothing was stored in the cache or queued for the source");
    } finally {
      cache.close();
    }
    assertThat(db.get("k").name()).isEqualTo("v2");
  }

  @Test
  void aWriteBehindPutAfterCloseLeavesNothingCachedThatTheSourceWillNeverGet() {
    FreshCache<String, Product> cache =
        FreshCache.builder("closed", String.class, Product.class)
            .writes(Writes.behind(this::save))
            .build();
    cache.close();

    assertThatThrownBy(() -> cache.put("k", new Product("v1", 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cache 'closed' is closed: its write-behind queue takes no more writes; k was not"
                + " queued for the source, and this cache no longer holds it");
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(db).doesNotContainKey("k");
  }

  @Test
  void aValueTheSharedTierCannotEncodeIsRefusedBeforeTheSourceIsWritten() {
    CacheGroup group = CacheGroup.builder("encoding").shared(unreachableTier()).build();
    FreshCache<String, Product> cache =
        group
            .cache("products", String.class, Product.class)
            .source(db::get)
            .valueCodec(
                new ValueCodec<>() {
                  @Override
                  public byte[] encode(Product value) {
                    throw new IllegalArgumentException("not today");
                  }

                  @Override
                  public Product decode(byte[] bytes) {
                    throw new IllegalArgumentException("not today");
                  }
                })
            .writes(Writes.through(this::save))
            .build();

    assertThatThrownBy(() -> cache.put("k", new Product("v1", 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be encoded for the shared tier")
        .hasMessageContaining("nothing was stored, in the cache or in the source");
    assertThat(db).doesNotContainKey("k");
    assertThat(cache.getIfPresent("k")).isNull();
  }

  /** A tier whose every call fails: the encoding refusal must come before any of them. */
  private static SharedTier unreachableTier() {
    return (SharedTier)
        Proxy.newProxyInstance(
            SharedTier.class.getClassLoader(),
            new Class<?>[] {SharedTier.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "close", "namespace" -> null;
                  case "toString", "serverName" -> "unreachable tier";
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> CompletableFuture.failedFuture(new IllegalStateException("down"));
                });
  }
}
