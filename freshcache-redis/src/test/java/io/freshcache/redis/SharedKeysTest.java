package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SharedKeysTest {

  private final SharedKeys keys = new SharedKeys("fc", "shop");

  @Test
  void everyKeyOfANamespaceCarriesItsHashTag() {
    assertThat(keys.entry("users", "user:1")).isEqualTo("fc:{shop}:e:users/user:1");
    assertThat(keys.lease("users", "user:1")).isEqualTo("fc:{shop}:l:users/user:1");
    assertThat(keys.tag("t1")).isEqualTo("fc:{shop}:t:t1");
    assertThat(keys.generation()).isEqualTo("fc:{shop}:g");
  }

  @Test
  void cacheAndKeyStayApartWhenBothHoldColons() {
    assertThat(keys.entry("a", "b:c")).isNotEqualTo(keys.entry("a:b", "c"));
  }

  @Test
  void globsTranslateToRedisMatchWithBracketsLiteral() {
    assertThat(SharedKeys.toRedisGlob("user:*")).isEqualTo("user:*");
    assertThat(SharedKeys.toRedisGlob("a[1]?")).isEqualTo("a\\[1\\]?");
    assertThat(SharedKeys.toRedisGlob("a\\*b")).isEqualTo("a\\*b");
    assertThat(SharedKeys.toRedisGlob("end\\")).isEqualTo("end\\\\");
    assertThat(keys.entryMatch("users", "u*")).isEqualTo("fc:{shop}:e:users/u*");
  }

  @Test
  void globsWithoutALiteralAreRefused() {
    for (String glob : List.of("*", "?", "**?*")) {
      assertThatThrownBy(() -> SharedKeys.requireGlob(glob))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(SharedKeys.requireGlob("\\*")).isEqualTo("\\*");
  }

  @Test
  void versionsEncodeInTheirOrder() {
    long[] ordered = {
      Long.MIN_VALUE, -1L << 60, -1, 0, 1, 1L << 53, (1L << 53) + 1, Long.MAX_VALUE
    };
    for (int i = 0; i < ordered.length; i++) {
      String encoded = new String(EntryFields.version(ordered[i]));
      assertThat(EntryFields.version(EntryFields.version(ordered[i]))).isEqualTo(ordered[i]);
      if (i > 0) {
        assertThat(encoded).isGreaterThan(new String(EntryFields.version(ordered[i - 1])));
      }
    }
  }

  @Test
  void listsRoundTripWhateverTheyHold() {
    List<String> tags = List.of("t1", "a:b", "12:x", "ünï", "");
    assertThat(EntryFields.list(EntryFields.list(tags))).isEqualTo(tags);
    assertThat(EntryFields.list(EntryFields.list(List.of()))).isEmpty();
  }
}
