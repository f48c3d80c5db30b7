package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  @Test
  void decodesTheBriefsExampleKeepingDomainFields() throws Exception {
    String json =
        "{\"type\": \"user.updated\", \"timestamp\": 1732665600.123,"
            + " \"payload\": {\"type\": \"delete\", \"keys\": [\"user:profile:123\","
            + " \"user:preferences:123\"], \"user_id\": 123}}";
    InvalidationEvent event = EventCodec.decode(json).event();
    assertThat(event.type()).isEqualTo("user.updated");
    assertThat(event.timestamp()).isEqualTo(1732665600.123);
    assertThat(event.invalidation())
        .isEqualTo(
            new Invalidation.Keys(
                null,
                List.of("user:profile:123", "user:preferences:123"),
                false,
                OptionalLong.empty()));
    assertThat(event.data()).containsExactly(Map.entry("user_id", 123));
    assertThat(event.source()).isNull();
  }

  @Test
  void everyKindRoundTrips() throws Exception {
    List<Invalidation> kinds =
        List.of(
            new Invalidation.Keys("users", List.of("a", "b"), true, OptionalLong.of(7)),
            new Invalidation.Tags(null, List.of("org:1")),
            new Invalidation.Pattern(null, "category:7:*", false),
            new Invalidation.Update(
                null, List.of("p:1"), Map.of("p:1", Map.of("price", 5)), OptionalLong.of(3)),
            new Invalidation.All("products"));
    for (Invalidation kind : kinds) {
      InvalidationEvent event =
          new InvalidationEvent("x.changed", 1.5, kind, Map.of("id", 9), "i-1");
      EventCodec.Envelope decoded = EventCodec.decode(EventCodec.encode(event, "shop"));
      assertThat(decoded.event()).isEqualTo(event);
      assertThat(decoded.namespace()).isEqualTo("shop");
    }
  }

  @Test
  void everyMalformedMessageSaysWhatIsWrong() {
    assertThatThrownBy(() -> EventCodec.decode("{oops")).hasMessageStartingWith("not JSON");
    assertThatThrownBy(() -> EventCodec.decode("42")).hasMessage("not a JSON object");
    assertThatThrownBy(() -> EventCodec.decode("{\"payload\": {}}"))
        .hasMessage("event.type is missing or not a string");
    assertThatThrownBy(
            () -> EventCodec.decode("{\"type\": \"a\", \"payload\": {\"type\": \"tag\"}}"))
        .hasMessage("payload.tags is missing or not an array");
    assertThatThrownBy(
            () -> EventCodec.decode("{\"type\": \"a\", \"timestamp\": \"now\", \"payload\": {}}"))
        .hasMessage("timestamp is not a number");
    assertThatThrownBy(
            () ->
                EventCodec.decode(
                    "{\"type\": \"a\", \"payload\": {\"type\": \"delete\", \"keys\": [\"k\"], \"version\": 1.5}}"))
        .hasMessage("payload.version is not an integer");
    assertThatThrownBy(
            () ->
                EventCodec.decode(
                    "{\"type\": \"a\", \"payload\": {\"type\": \"delete\", \"keys\": []}}"))
        .hasMessage("payload: an invalidation of keys needs at least one key");
    assertThatThrownBy(() -> EventCodec.decode("x".repeat(EventCodec.MAX_MESSAGE_CHARS + 1)))
        .hasMessageContaining("over the limit");
  }
}
