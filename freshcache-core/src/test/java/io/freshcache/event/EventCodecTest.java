package io.freshcache.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  @Test
  void decodesThePlainFormatsExampleKeepingDomainFields() throws Exception {
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
  void anEventTooLargeForOneMessageIsSplitSoThatNoReceiverRefusesIt() throws Exception {
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      keys.add(i + ":" + "k".repeat(1_000));
    }
    InvalidationEvent event =
        new InvalidationEvent(
            "bulk.updated",
            1.0,
            new Invalidation.Keys(null, keys, false, OptionalLong.empty()),
            Map.of(),
            "i");
    List<String> messages = EventCodec.encodeFitting(event, "ns");
    assertThat(messages).hasSizeGreaterThan(1);
    List<String> carried = new java.util.ArrayList<>();
    for (String message : messages) {
      assertThat(message.length()).isLessThanOrEqualTo(EventCodec.MAX_MESSAGE_CHARS);
      carried.addAll(
          ((Invalidation.Keys) EventCodec.decode(message).event().invalidation()).keys());
    }
    assertThat(carried).containsExactlyElementsOf(keys);
  }

  @Test
  void anEventWhoseDataAloneIsTooLargeIsRefused() {
    InvalidationEvent event =
        new InvalidationEvent(
            "x.updated",
            1.0,
            Invalidation.keys("k"),
            Map.of("blob", "b".repeat(EventCodec.MAX_MESSAGE_CHARS)),
            "i");
    assertThatThrownBy(() -> EventCodec.encodeFitting(event, "ns"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("over the bus's limit")
        .hasMessageContaining("nothing was invalidated");
  }

  @Test
  void timestampsAreWrittenAsPlainDecimalSeconds() {
    InvalidationEvent event =
        new InvalidationEvent(
            "x.updated", 1732665600.123456, Invalidation.keys("k"), Map.of(), null);
    assertThat(EventCodec.encode(event, null)).contains("\"timestamp\":1732665600.123456,");
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
