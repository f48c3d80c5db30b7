package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PatternsTest {

  @Test
  void starMatchesAnyRunQuestionMarkOneCharacter() {
    assertThat(Patterns.matches("category:7:products:*", "category:7:products:42")).isTrue();
    assertThat(Patterns.matches("category:7:products:*", "category:7:products:")).isTrue();
    assertThat(Patterns.matches("category:7:products:*", "category:70:products:1")).isFalse();
    assertThat(Patterns.matches("user:?", "user:1")).isTrue();
    assertThat(Patterns.matches("user:?", "user:12")).isFalse();
    assertThat(Patterns.matches("*:profile:*", "user:profile:9")).isTrue();
    assertThat(Patterns.matches("a*b*c", "axxbyyc")).isTrue();
    assertThat(Patterns.matches("a*b*c", "axxbyy")).isFalse();
    assertThat(Patterns.matches("exact", "exact")).isTrue();
    assertThat(Patterns.matches("exact", "exactly")).isFalse();
  }

  @Test
  void backslashEscapesAWildcard() {
    assertThat(Patterns.matches("price\\*", "price*")).isTrue();
    assertThat(Patterns.matches("price\\*", "prices")).isFalse();
  }

  @Test
  void onlyGlobsWithoutALiteralMatchEverything() {
    assertThat(Patterns.matchesEverything("*")).isTrue();
    assertThat(Patterns.matchesEverything("?*?")).isTrue();
    assertThat(Patterns.matchesEverything("*:*")).isFalse();
    assertThat(Patterns.matchesEverything("user:*")).isFalse();
  }
}
