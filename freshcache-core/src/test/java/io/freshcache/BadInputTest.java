package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.testing.CountingSource;
import io.freshcache.testing.FakeTicker;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear error and changes nothing. */
class BadInputTest {

  private final CountingSource<String, String> source = new CountingSource<>(k -> "v:" + k);
  private final FreshCache<String, String> cache =
      FreshCache.builder("bad-input", String.class, String.class)
          .expiry(Expiry.ttl(Duration.ofMinutes(1)))
          .source(source)
          .ticker(new FakeTicker())
          .build();

  @Test
  void nullKeysAreRefusedByEveryOperationNamingTheCache() {
    cache.put("a", "1");
    assertThatThrownBy(() -> cache.get(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("cache 'bad-input': key must not be null");
    assertThatThrownBy(() -> cache.getIfPresent(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.put(null, "x")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.invalidate(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.async().get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.getAll(Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cache.invalidateAll(Arrays.asList("a", null)))
        .isInstanceOf(NullPointerException.class);

    assertThat(cache.getIfPresent("a")).isEqualTo("1"); // the valid key of the batch is untouched
    assertThat(source.loads()).isZero();
  }

  @Test
  void nullValuesAreRefused() {
    assertThatThrownBy(() -> cache.put("a", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("cache 'bad-input': value must not be null");
    assertThat(cache.estimatedSize()).isZero();
  }

  @Test
  void aSourceReturningNullFailsTheLoadAndCachesNothing() {
    source.set("x", "old");
    FreshCache<String, String> nulls =
        FreshCache.builder("null-source", String.class, String.class).source(key -> null).build();
    assertThatThrownBy(() -> nulls.get("k"))
        .isInstanceOf(CacheLoadException.class)
        .hasMessageContaining("cache 'null-source': the source returned null for key k");
    assertThat(nulls.estimatedSize()).isZero();
    assertThat(nulls.analytics().stats().loadFailures()).isEqualTo(1);
  }

  @Test
  void oversizedKeysAreRefused() {
    String huge = "k".repeat(FreshCacheBuilder.DEFAULT_MAX_KEY_LENGTH + 1);
    assertThatThrownBy(() -> cache.get(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is longer than the limit of 1024")
        .hasMessageContaining("raise maxKeyLength");
    assertThatThrownBy(() -> cache.put(huge, "v")).isInstanceOf(IllegalArgumentException.class);
    assertThat(source.loads()).isZero();
    assertThat(cache.estimatedSize()).isZero();
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void keysAndValuesOfTheWrongTypeAreRefusedDespiteErasure() {
    FreshCache raw = cache;
    assertThatThrownBy(() -> raw.get(42))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a java.lang.Integer, not a java.lang.String");
    assertThatThrownBy(() -> raw.put("k", 42)).isInstanceOf(IllegalArgumentException.class);
    assertThat(cache.estimatedSize()).isZero();
  }

  @Test
  void aCheckedSourceExceptionIsWrappedWithTheCacheAndKey() {
    FreshCache<String, String> failing =
        FreshCache.builder("checked", String.class, String.class)
            .source(
                key -> {
                  throw new java.io.IOException("connection reset");
                })
            .build();
    assertThatThrownBy(() -> failing.get("k"))
        .isInstanceOf(CacheLoadException.class)
        .hasMessage("cache 'checked': the source failed to load k")
        .hasRootCauseMessage("connection reset");
  }

  @Test
  void getWithoutASourceSaysWhatToDo() {
    FreshCache<String, String> noSource =
        FreshCache.builder("no-source", String.class, String.class).build();
    assertThatThrownBy(() -> noSource.get("k"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no source")
        .hasMessageContaining(".source(...)");
  }

  @Test
  void negativePerEntryTtlIsRefused() {
    assertThatThrownBy(() -> cache.put("k", "v", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must not be negative, was PT-1S");
    assertThat(cache.estimatedSize()).isZero();
  }
}
