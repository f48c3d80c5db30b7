package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The position a channel copy carries is found, and removed, exactly. */
class LogPositionTest {

  private static final String EVENT = "{\"type\":\"a.b\",\"payload\":{\"type\":\"all\"}}";
  private static final String FIELD =
      ",\"log\":{\"key\":\"fc:{shop}:log\",\"seq\":17,\"id\":\"1712-3\"}";

  @Test
  void aJsonEventKeepsItsTextOnceThePositionIsRemoved() {
    String copy = EVENT.substring(0, EVENT.length() - 1) + FIELD + "}";

    LogPosition position = LogPosition.of(copy);

    assertThat(position).isEqualTo(new LogPosition("fc:{shop}:log", 17, "1712-3", EVENT));
  }

  @Test
  void thePositionGoesBeforeTheLastCharacterWhateverItIs() {
    assertThat(LogPosition.of("plain text 😀".replace("😀", FIELD + "😀")).message())
        .isEqualTo("plain text 😀");
    assertThat(LogPosition.of(FIELD + "x").message()).isEqualTo("x");
  }

  @Test
  void aMessageWithoutAWellFormedPositionLastCarriesNone() {
    assertThat(LogPosition.of(EVENT)).isNull();
    assertThat(LogPosition.of(EVENT + FIELD)).as("nothing after it").isNull();
    assertThat(LogPosition.of(FIELD + "}}")).as("more than one character after it").isNull();
    assertThat(LogPosition.of(FIELD.replace("17", "x") + "}")).as("not a number").isNull();
    assertThat(LogPosition.of(FIELD.replace("1712-3", "1712") + "}")).as("not an id").isNull();
    assertThat(LogPosition.of(FIELD.replace("shop}", "sh\"op}") + "}")).as("a quote").isNull();
  }
}
