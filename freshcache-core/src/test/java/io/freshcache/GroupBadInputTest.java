package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.event.Invalidation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input to a group gets a clear error and changes no cache, here or on the bus. */
class GroupBadInputTest {

  private final InProcessBus bus = new InProcessBus();
  private final CacheGroup here = CacheGroup.builder("bad").bus(bus).instanceId("here").build();
  private final CacheGroup there = CacheGroup.builder("bad").bus(bus).instanceId("there").build();
  // Filled by loads, not puts: a put would tell the other instance to drop its copy.
  private final FreshCache<String, String> mine =
      here.cache("c", String.class, String.class).source(k -> "v").build();
  private final FreshCache<String, String> theirs =
      there.cache("c", String.class, String.class).source(k -> "v").build();

  @Test
  void nullEmptyAndOversizedKeysAreRefused() {
    mine.get("k");
    theirs.get("k");
    long published = here.stats().published();
    assertThatThrownBy(() -> here.invalidateKeys((String) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key must not be null");
    assertThatThrownBy(() -> here.invalidateKeys("k", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key must not be empty");
    assertThatThrownBy(() -> here.invalidateCascade("x".repeat(1025)))
        .hasMessage("a key of 1025 characters is longer than the limit of 1024");
    assertThatThrownBy(() -> here.invalidateKeys())
        .hasMessage("an invalidation of keys needs at least one key");
    assertThat(here.stats().published()).isEqualTo(published);
    assertThat(mine.getIfPresent("k")).isEqualTo("v");
    assertThat(theirs.getIfPresent("k")).isEqualTo("v");
  }

  @Test
  void badEventTypesAndSubscriptionsAreRefused() {
    mine.get("k");
    theirs.get("k");
    long published = here.stats().published();
    assertThatThrownBy(() -> here.publish("user updated", Invalidation.keys("k"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event type \"user updated\" is not valid");
    assertThatThrownBy(() -> here.subscribe("user.*.x*", e -> List.of()))
        .hasMessageContaining("subscription \"user.*.x*\" is not valid");
    assertThat(here.stats().published()).isEqualTo(published);
    assertThat(mine.getIfPresent("k")).isEqualTo("v");
    assertThat(theirs.getIfPresent("k")).isEqualTo("v");
  }

  @Test
  void anEventTooLargeForTheBusIsRefusedBeforeAnythingChanges() {
    mine.get("k");
    theirs.get("k");
    long published = here.stats().published();
    assertThatThrownBy(
            () ->
                here.publish(
                    "user.updated", Invalidation.keys("k"), Map.of("blob", "b".repeat(2 << 20))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("over the bus's limit");
    assertThat(here.stats().published()).isEqualTo(published);
    assertThat(mine.getIfPresent("k")).isEqualTo("v");
    assertThat(theirs.getIfPresent("k")).isEqualTo("v");
  }

  @Test
  void aHandlerThatThrowsIsCountedAndChangesNothing() {
    there.subscribe(
        "user.*",
        e -> {
          throw new IllegalStateException("handler bug");
        });
    mine.get("k");
    theirs.get("k");
    here.publish("user.updated", Invalidation.keys("other"), Map.of());
    assertThat(there.stats().handlerFailures()).isEqualTo(1);
    assertThat(theirs.getIfPresent("k")).isEqualTo("v");
  }

  @Test
  void aCacheNamedTwiceInOneGroupIsRefused() {
    assertThatThrownBy(() -> here.cache("c", String.class, String.class).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("group 'bad' already has a cache named 'c'");
  }

  @Test
  void keysOfATypeWithoutACodecNeedOneInAGroupWithABus() {
    record Sku(String code) {}
    assertThatThrownBy(() -> here.cache("skus", Sku.class, String.class).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("need a KeyCodec")
        .hasMessageContaining(".keyCodec(KeyCodec.of(");
    FreshCache<Sku, String> skus =
        here.cache("skus", Sku.class, String.class)
            .keyPrefix("sku:")
            .keyCodec(KeyCodec.of(Sku::code, Sku::new))
            .build();
    skus.put(new Sku("A1"), "x");
    here.invalidateKeys("sku:A1");
    assertThat(skus.getIfPresent(new Sku("A1"))).isNull();
  }
}
