package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.testing.CountingSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TagInvalidationTest {

  private final CacheGroup group = CacheGroup.builder("tags").maxTags(4).build();
  private final CountingSource<String, String> source = new CountingSource<>(k -> "v:" + k);
  private final FreshCache<String, String> cache =
      group
          .cache("tagged", String.class, String.class)
          .source(source)
          .tags((k, v) -> Tags.of("from-source"))
          .build();

  @Test
  void anEntryMayCarryManyTagsAndAnyOfThemInvalidatesIt() {
    cache.put("a", "1", Tags.of("org:1", "region:eu"));
    cache.put("b", "2", Tags.of("org:2", "region:eu"));
    cache.put("c", "3", Tags.of("org:3"));

    group.invalidateTag("region:eu");

    assertThat(cache.getIfPresent("a")).isNull();
    assertThat(cache.getIfPresent("b")).isNull();
    assertThat(cache.getIfPresent("c")).isEqualTo("3");
  }

  @Test
  void loadedEntriesTakeTheirTagsFromTheBuildersFunction() {
    cache.get("x");
    group.invalidateTag("from-source");
    assertThat(cache.getIfPresent("x")).isNull();
  }

  @Test
  void aLoadWhoseTagIsInvalidatedWhileItRunsIsNotStored() {
    AtomicReference<Runnable> during =
        new AtomicReference<>(() -> group.invalidateTag("from-source"));
    source.duringLoad(() -> during.getAndSet(() -> {}).run());
    assertThat(cache.get("k")).isEqualTo("v:k");
    assertThat(cache.getIfPresent("k")).isNull();
    assertThat(cache.analytics().stats().voidedLoads()).isEqualTo(1);
  }

  @Test
  void forgettingOldTagStampsErrsTowardsMissesNeverTowardsStaleHits() {
    cache.put("old", "1", Tags.of("t0"));
    for (int i = 1; i <= 5; i++) {
      group.invalidateTag("t" + i); // more distinct stamps than maxTags = 4
    }
    // The oldest stamps were dropped and the floor rose past "old": it counts as invalidated.
    assertThat(cache.getIfPresent("old")).isNull();
    cache.put("new", "2", Tags.of("t1"));
    assertThat(cache.getIfPresent("new")).isEqualTo("2");
  }

  @Test
  void badTagsAreRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> group.invalidateTag(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a tag must not be blank");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tags.of("t".repeat(2000)))
        .hasMessageContaining("longer than the limit of 1024");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> group.invalidateTag((String) null))
        .isInstanceOf(NullPointerException.class);
  }
}
