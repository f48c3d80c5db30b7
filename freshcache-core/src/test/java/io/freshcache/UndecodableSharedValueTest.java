package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A value type that encodes but does not decode (no default constructor, no creator) used to be
 * shared all the same: every other instance then logged a stack trace per miss and read the source.
 */
class UndecodableSharedValueTest {

  /** Jackson writes it through its getters but cannot create one: no creator it can use. */
  static final class Point {
    private final int x;
    private final int y;

    Point(int x, int y) {
      this.x = x;
      this.y = y;
    }

    public int getX() {
      return x;
    }

    public int getY() {
      return y;
    }
  }

  record Item(String name) {}

  private final InMemorySharedTier tier = new InMemorySharedTier();
  private final CacheGroup group = CacheGroup.builder("codec").shared(tier).build();

  @AfterEach
  void close() {
    group.close();
  }

  @Test
  void putOfAValueThatEncodesButDoesNotDecodeFailsWithOneClearLineAndChangesNothing() {
    FreshCache<Long, Point> points = group.cache("points", Long.class, Point.class).build();

    assertThatThrownBy(() -> points.put(1L, new Point(1, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cache 'points'")
        .hasMessageContaining(Point.class.getName())
        .hasMessageContaining("encode but do not decode")
        .hasMessageContaining("add a @JsonCreator constructor, or set .valueCodec(...)")
        .hasMessageNotContaining("\n");
    assertThat(points.getIfPresent(1L)).isNull();
    assertThat(tier.size()).isZero();

    // The verdict is kept: the next put of the class fails the same way without a new check.
    assertThatThrownBy(() -> points.put(2L, new Point(3, 4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add a @JsonCreator constructor, or set .valueCodec(...)");
    assertThat(points.getIfPresent(2L)).isNull();
    assertThat(tier.size()).isZero();
  }

  @Test
  void roundTripCheckDecodesTheFirstValueOfEachClassOnce() {
    AtomicInteger decodes = new AtomicInteger();
    ValueCodec<CharSequence> counting =
        new ValueCodec<>() {
          @Override
          public byte[] encode(CharSequence value) {
            return value.toString().getBytes(StandardCharsets.UTF_8);
          }

          @Override
          public CharSequence decode(byte[] bytes) {
            decodes.incrementAndGet();
            return new String(bytes, StandardCharsets.UTF_8);
          }
        };
    FreshCache<Long, CharSequence> texts =
        group.cache("texts", Long.class, CharSequence.class).valueCodec(counting).build();

    texts.put(1L, "a");
    texts.put(2L, "b");
    texts.put(3L, new StringBuilder("c"));
    texts.put(4L, new StringBuilder("d"));

    assertThat(decodes).hasValue(2); // one String, one StringBuilder
    assertThat(tier.size()).isEqualTo(4);
  }

  @Test
  void loadOfAValueThatDoesNotDecodeIsServedButNotSharedWithOneWarning() {
    FreshCache<Long, Point> points =
        group
            .cache("loaded-points", Long.class, Point.class)
            .source(key -> new Point(key.intValue(), 0))
            .build();

    try (CapturedLog log = new CapturedLog()) {
      for (long key = 1; key <= 3; key++) {
        assertThat(points.get(key).getX()).isEqualTo(key);
      }

      assertThat(tier.size()).isZero();
      assertThat(group.stats().sharedUnencodable()).isEqualTo(3);
      assertThat(log.linesWith("cache 'loaded-points'"))
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .contains("WARN")
                      .contains(Point.class.getName())
                      .contains("add a @JsonCreator constructor, or set .valueCodec(...)"));
      assertThat(log.lines()).noneMatch(line -> line.startsWith("\tat "));
    }
  }

  @Test
  void undecodableSharedBytesAreLoggedOncePerBurstNotOncePerMiss() {
    FreshCache<Long, Item> items =
        group
            .cache("items", Long.class, Item.class)
            .source(key -> new Item("from source " + key))
            .build();
    for (long key = 1; key <= 5; key++) {
      tier.store("items", Long.toString(key), "{not json".getBytes(StandardCharsets.UTF_8));
    }

    try (CapturedLog log = new CapturedLog()) {
      for (long key = 1; key <= 5; key++) {
        assertThat(items.get(key)).isEqualTo(new Item("from source " + key));
      }

      assertThat(group.stats().sharedFailures()).isEqualTo(5);
      assertThat(log.linesWith("cache 'items'"))
          .singleElement()
          .satisfies(line -> assertThat(line).contains("WARN").contains("does not decode"));
      assertThat(log.lines()).noneMatch(line -> line.startsWith("\tat "));
    }
  }

  @Test
  void aSharedValueThatDecodesEndsTheBurst() {
    FreshCache<Long, Item> items =
        group
            .cache("burst-items", Long.class, Item.class)
            .source(key -> new Item("from source " + key))
            .build();
    byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
    tier.store("burst-items", "1", garbage);
    tier.store("burst-items", "2", ValueCodec.json(Item.class).encode(new Item("shared")));
    tier.store("burst-items", "3", garbage);

    try (CapturedLog log = new CapturedLog()) {
      items.get(1L);
      assertThat(items.get(2L)).isEqualTo(new Item("shared"));
      items.get(3L);

      assertThat(log.linesWith("cache 'burst-items'")).hasSize(2);
    }
  }
}
