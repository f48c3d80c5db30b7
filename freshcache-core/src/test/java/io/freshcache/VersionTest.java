package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.event.Invalidation;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class VersionTest {

  record Row(String value, long version) {}

  private final Map<String, Row> table = new ConcurrentHashMap<>();
  private final FreshCache<String, Row> cache =
      FreshCache.builder("versions", String.class, Row.class)
          .source(table::get)
          .version(Row::version)
          .build();

  @Test
  void aPutOlderThanTheCachedEntryIsRefusedAndReported() {
    cache.put("k", new Row("v5", 5));
    assertThatThrownBy(() -> cache.put("k", new Row("v4", 4)))
        .isInstanceOf(VersionConflictException.class)
        .hasMessage(
            "cache 'versions': version 4 of key k is older than version 5 already seen; nothing was stored")
        .satisfies(e -> assertThat(((VersionConflictException) e).known()).isEqualTo(5));
    assertThat(cache.getIfPresent("k").value()).isEqualTo("v5");
    cache.put("k", new Row("v5-again", 5)); // the same version is not older
    cache.put("k", new Row("v6", 6));
    assertThat(cache.getIfPresent("k").value()).isEqualTo("v6");
    assertThat(cache.analytics().stats().versionConflicts()).isEqualTo(1);
  }

  @Test
  void anExplicitVersionOptionWinsOverTheFunction() {
    cache.put("k", new Row("a", 1), Version.of(10));
    assertThatThrownBy(() -> cache.put("k", new Row("b", 9)))
        .isInstanceOf(VersionConflictException.class);
  }

  @Test
  void aPutOlderThanTheLastVersionedInvalidationIsRefused() {
    cache
        .group()
        .invalidate(
            new Invalidation.Keys(
                null, java.util.List.of("k"), false, java.util.OptionalLong.of(8)));
    assertThatThrownBy(() -> cache.put("k", new Row("v7", 7)))
        .isInstanceOf(VersionConflictException.class);
    cache.put("k", new Row("v8", 8));
    assertThat(cache.getIfPresent("k").value()).isEqualTo("v8");
  }

  @Test
  void aFillOlderThanTheLastVersionedInvalidationIsServedButNotStored() {
    table.put("k", new Row("stale replica", 3));
    cache
        .group()
        .invalidate(
            new Invalidation.Keys(
                null, java.util.List.of("k"), false, java.util.OptionalLong.of(4)));
    assertThat(cache.get("k").value()).isEqualTo("stale replica");
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.analytics().stats().versionConflicts()).isEqualTo(1);
  }

  @Test
  void anOptionGivenTwiceIsRefused() {
    assertThatThrownBy(() -> cache.put("k", new Row("a", 1), Version.of(1), Version.of(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cache 'versions': Version was given twice to one put");
    assertThat(cache.getIfPresent("k")).isNull();
  }
}
