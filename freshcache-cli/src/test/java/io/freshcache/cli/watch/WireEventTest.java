package io.freshcache.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireEventTest {

  static final String SEED =
      "{\"type\": \"user.updated\", \"timestamp\": 1732665600.123, \"payload\": {\"type\":"
          + " \"delete\", \"keys\": [\"user:profile:123\", \"user:preferences:123\"], \"user_id\":"
          + " 123}}";

  @Test
  void readsTheBriefsFormat() throws Exception {
    WireEvent event = WireEvent.decode(SEED);

    assertThat(event.type()).isEqualTo("user.updated");
    assertThat(event.timestamp()).isEqualTo(1732665600.123);
    assertThat(event.kind()).isEqualTo("delete");
    assertThat(event.cascade()).isFalse();
    assertThat(event.targets()).containsExactly("user:profile:123", "user:preferences:123");
    assertThat(event.data()).isEqualTo(Map.of("user_id", 123));
    assertThat(event.source()).isNull();
    assertThat(event.namespace()).isNull();
    assertThat(event.cache()).isNull();
    assertThat(event.version()).isNull();
  }

  @Test
  void readsWhatFreshcacheAdds() throws Exception {
    WireEvent event =
        WireEvent.decode(
            "{\"type\":\"freshcache.invalidate\",\"timestamp\":1732665600.5,\"payload\":"
                + "{\"type\":\"delete\",\"keys\":[\"user:1\"],\"cascade\":true,\"version\":7,"
                + "\"cache\":\"users\"},\"source\":\"a1b2c3d4\",\"namespace\":\"shop\"}");

    assertThat(event.cascade()).isTrue();
    assertThat(event.version()).isEqualTo(7L);
    assertThat(event.cache()).isEqualTo("users");
    assertThat(event.source()).isEqualTo("a1b2c3d4");
    assertThat(event.namespace()).isEqualTo("shop");
    assertThat(event.data()).isEmpty();
  }

  @Test
  void readsEveryKind() throws Exception {
    assertThat(decode("{\"type\":\"tag\",\"tags\":[\"org:42\"]}").targets())
        .containsExactly("org:42");
    assertThat(decode("{\"type\":\"pattern\",\"pattern\":\"user:*\"}").targets())
        .containsExactly("user:*");
    WireEvent update = decode("{\"type\":\"update\",\"keys\":[\"p:1\"],\"values\":{\"p:1\":9}}");
    assertThat(update.kind()).isEqualTo("update");
    assertThat(update.targets()).containsExactly("p:1");
    assertThat(update.data()).isEmpty();
    assertThat(decode("{\"type\":\"all\"}").targets()).isEmpty();
  }

  @Test
  void refusesWhatInstancesRefuseAndSaysWhy() {
    assertMalformed("{not json", "not JSON");
    assertMalformed("[1, 2]", "not a JSON object");
    assertMalformed("{\"payload\":{\"type\":\"all\"}}", "type is missing or not a string");
    assertMalformed("{\"type\":\"a\",\"timestamp\":\"now\",\"payload\":{}}", "timestamp");
    assertMalformed("{\"type\":\"a\"}", "payload is missing");
    assertMalformed("{\"type\":\"a\",\"payload\":{\"keys\":[]}}", "payload.type");
    assertMalformed("{\"type\":\"a\",\"payload\":{\"type\":\"nuke\"}}", "unknown payload type");
    assertMalformed("{\"type\":\"a\",\"payload\":{\"type\":\"delete\"}}", "payload.keys");
    assertMalformed(
        "{\"type\":\"a\",\"payload\":{\"type\":\"tag\",\"tags\":[1]}}", "non-string: 1");
    assertMalformed("{\"type\":\"a\",\"payload\":{\"type\":\"pattern\"}}", "payload.pattern");
    assertMalformed(
        "{\"type\":\"a\",\"payload\":{\"type\":\"delete\",\"keys\":[\"k\"],\"cascade\":\"yes\"}}",
        "payload.cascade");
    assertMalformed(
        "{\"type\":\"a\",\"payload\":{\"type\":\"delete\",\"keys\":[\"k\"],\"version\":1.5}}",
        "payload.version");
    assertMalformed("\"" + "x".repeat(WireEvent.MAX_MESSAGE_CHARS) + "\"", "over the limit");
  }

  @Test
  void lagIsMeasuredOnlyAgainstAFreshcachePublishersWallClock() throws Exception {
    Instant received = Instant.ofEpochSecond(1732665600, 125_500_000);
    WireEvent seed = WireEvent.decode(SEED);
    WireEvent freshcache =
        WireEvent.decode(SEED.replace("\"payload\"", "\"source\": \"a1b2c3d4\", \"payload\""));

    assertThat(seed.lagMillis(received)).isNull();
    assertThat(freshcache.lagMillis(received)).isCloseTo(2.5, within(1e-3));
  }

  @Test
  void aGroupAppliesItsOwnEventsAndThoseForEveryGroup() throws Exception {
    WireEvent forAll = WireEvent.decode(SEED);
    WireEvent forShop =
        WireEvent.decode(SEED.replace("\"payload\"", "\"namespace\": \"shop\", \"payload\""));

    assertThat(forAll.isFor("shop")).isTrue();
    assertThat(forShop.isFor("shop")).isTrue();
    assertThat(forShop.isFor("blog")).isFalse();
  }

  private static WireEvent decode(String payload) throws WireEvent.MalformedException {
    return WireEvent.decode("{\"type\":\"a.b\",\"payload\":" + payload + "}");
  }

  private static void assertMalformed(String message, String reason) {
    assertThatThrownBy(() -> WireEvent.decode(message))
        .isInstanceOf(WireEvent.MalformedException.class)
        .hasMessageContaining(reason);
  }
}
