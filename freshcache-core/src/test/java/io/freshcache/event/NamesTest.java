package io.freshcache.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void starMatchesAnyRunQuestionMarkOneCharacter() {
    assertThat(Names.matches("category:7:products:*", "category:7:products:42")).isTrue();
    assertThat(Names.matches("category:7:products:*", "category:7:products:")).isTrue();
    assertThat(Names.matches("category:7:products:*", "category:70:products:1")).isFalse();
    assertThat(Names.matches("user:?", "user:1")).isTrue();
    assertThat(Names.matches("user:?", "user:12")).isFalse();
    assertThat(Names.matches("*:profile:*", "user:profile:9")).isTrue();
    assertThat(Names.matches("a*b*c", "axxbyyc")).isTrue();
    assertThat(Names.matches("a*b*c", "axxbyy")).isFalse();
    assertThat(Names.matches("exact", "exact")).isTrue();
    assertThat(Names.matches("exact", "exactly")).isFalse();
  }

  @Test
  void backslashEscapesAWildcard() {
    assertThat(Names.matches("price\\*", "price*")).isTrue();
    assertThat(Names.matches("price\\*", "prices")).isFalse();
  }

  @Test
  void onlyGlobsWithoutALiteralMatchEverything() {
    assertThat(Names.matchesEverything("*")).isTrue();
    assertThat(Names.matchesEverything("?*?")).isTrue();
    assertThat(Names.matchesEverything("*:*")).isFalse();
    assertThat(Names.matchesEverything("user:*")).isFalse();
  }
}
