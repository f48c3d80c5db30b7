package io.freshcache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

  @Test
  void printableTextIsLeftAsItIs() {
    String text = "user:profile:123 é 東京";

    assertThat(Text.printable(text)).isSameAs(text);
  }

  @Test
  void controlCharactersAreEscapedSoOneMessageStaysOneLine() {
    assertThat(Text.printable("a\nb\rc\td\u001b[2Je\u007ff\u0085"))
        .isEqualTo("a\\nb\\rc\\td\\u001b[2Je\\u007ff\\u0085");
  }
}
