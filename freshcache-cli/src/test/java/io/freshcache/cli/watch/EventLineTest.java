package io.freshcache.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.freshcache.event.EventCodec;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EventLineTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHANNEL = "cache:invalidation:user.updated";

  /** 2024-11-27 00:00:00.125500 UTC: 2.5 ms after the events' timestamp. */
  private static final Instant RECEIVED = Instant.ofEpochSecond(1732665600, 125_500_000);

  static final String SEED =
      "{\"type\": \"user.updated\", \"timestamp\": 1732665600.123, \"payload\": {\"type\":"
          + " \"delete\", \"keys\": [\"user:profile:123\", \"user:preferences:123\"], \"user_id\":"
          + " 123}}";

  private final EventLine text = new EventLine(false, ZoneOffset.UTC);
  private final EventLine json = new EventLine(true, ZoneOffset.UTC);

  private static EventCodec.Envelope event(String top, String payload) throws Exception {
    return EventCodec.decode(
        "{\"type\":\"user.updated\",\"timestamp\":1732665600.123,"
            + top
            + "\"payload\":"
            + payload
            + "}");
  }

  @Test
  void anEventFromAServiceShowsWhatItInvalidatesAndNoLag() throws Exception {
    EventCodec.Envelope seed = EventCodec.decode(SEED);

    assertThat(text.event(seed, CHANNEL, RECEIVED))
        .isEqualTo(
            "00:00:00.125  user.updated              delete          keys=[user:profile:123,"
                + " user:preferences:123]");
  }

  @Test
  void anEventFromAFreshcacheInstanceShowsItsSourceNamespaceAndLag() throws Exception {
    EventCodec.Envelope tag =
        event(
            "\"source\":\"a1b2c3d4\",\"namespace\":\"shop\",",
            "{\"type\":\"tag\",\"tags\":[\"org:42\"]}");

    assertThat(text.event(tag, CHANNEL, RECEIVED))
        .isEqualTo(
            "00:00:00.125  user.updated              tag             tags=[org:42]"
                + "  source=a1b2c3d4  namespace=shop  lag=2.5ms");
  }

  @Test
  void eachKindReadsNaturally() throws Exception {
    assertThat(
            text.event(
                event("", "{\"type\":\"delete\",\"keys\":[\"user:1\"],\"cascade\":true}"),
                CHANNEL,
                RECEIVED))
        .contains("  delete cascade  keys=[user:1]");
    assertThat(
            text.event(
                event("", "{\"type\":\"pattern\",\"pattern\":\"user:7*\"}"), CHANNEL, RECEIVED))
        .contains("  pattern         pattern=user:7*");
    assertThat(
            text.event(
                event(
                    "",
                    "{\"type\":\"update\",\"keys\":[\"p:1\"],\"version\":3,\"cache\":\"products\"}"),
                CHANNEL,
                RECEIVED))
        .contains("  update          keys=[p:1]  cache=products  version=3");
    assertThat(text.event(event("", "{\"type\":\"all\"}"), CHANNEL, RECEIVED))
        .endsWith("  user.updated              all");
  }

  @Test
  void oneMessageIsAlwaysOneLineWhateverItCarries() throws Exception {
    EventCodec.Envelope hostile =
        event("", "{\"type\":\"delete\",\"keys\":[\"user:1\\n00:00:00.000  forged\\u001b[2J\"]}");

    String line = text.event(hostile, CHANNEL, RECEIVED);

    assertThat(line).doesNotContain("\n").doesNotContain("\u001b");
    assertThat(line).contains("user:1\\n00:00:00.000  forged\\u001b[2J");
    assertThat(text.malformed(CHANNEL, "bad\nreason", RECEIVED)).doesNotContain("\n");
  }

  @Test
  void aMalformedMessageIsALineSayingWhy() {
    assertThat(text.malformed(CHANNEL, "not JSON: Unexpected character", RECEIVED))
        .isEqualTo(
            "00:00:00.125  malformed message         on cache:invalidation:user.updated: not JSON:"
                + " Unexpected character");
  }

  @Test
  void jsonCarriesTheSameFieldsAndLagOnlyForFreshcachePublishers() throws Exception {
    JsonNode seed = JSON.readTree(json.event(EventCodec.decode(SEED), CHANNEL, RECEIVED));

    assertThat(seed.get("received").asText()).isEqualTo("2024-11-27T00:00:00.125Z");
    assertThat(seed.get("channel").asText()).isEqualTo(CHANNEL);
    assertThat(seed.get("type").asText()).isEqualTo("user.updated");
    assertThat(seed.get("kind").asText()).isEqualTo("delete");
    assertThat(seed.get("keys")).hasSize(2);
    assertThat(seed.get("keys").get(0).asText()).isEqualTo("user:profile:123");
    assertThat(seed.get("data").get("user_id").asInt()).isEqualTo(123);
    assertThat(seed.has("lag_ms")).isFalse();
    assertThat(seed.has("source")).isFalse();
    assertThat(seed.has("cascade")).isFalse();

    String line =
        json.event(
            event(
                "\"source\":\"a1b2c3d4\",\"namespace\":\"shop\",",
                "{\"type\":\"delete\",\"keys\":[\"user:1\"],\"cascade\":true}"),
            CHANNEL,
            RECEIVED);
    JsonNode fresh = JSON.readTree(line);
    assertThat(fresh.get("cascade").asBoolean()).isTrue();
    assertThat(fresh.get("source").asText()).isEqualTo("a1b2c3d4");
    assertThat(fresh.get("namespace").asText()).isEqualTo("shop");
    assertThat(fresh.get("lag_ms").asDouble()).isEqualTo(2.5);
    assertThat(line).contains("\"timestamp\":1732665600.123").doesNotContain("\n");
  }

  @Test
  void aMalformedMessageInJsonSaysSo() throws Exception {
    JsonNode line = JSON.readTree(json.malformed(CHANNEL, "payload is missing", RECEIVED));

    assertThat(line.get("malformed").asBoolean()).isTrue();
    assertThat(line.get("reason").asText()).isEqualTo("payload is missing");
    assertThat(line.get("channel").asText()).isEqualTo(CHANNEL);
  }

  @Test
  void lagIsMeasuredOnlyAgainstAFreshcachePublishersWallClock() throws Exception {
    EventCodec.Envelope seed = EventCodec.decode(SEED);
    EventCodec.Envelope freshcache =
        EventCodec.decode(SEED.replace("\"payload\"", "\"source\": \"a1b2c3d4\", \"payload\""));

    assertThat(EventLine.lagMillis(seed.event(), RECEIVED)).isNull();
    assertThat(EventLine.lagMillis(freshcache.event(), RECEIVED))
        .isCloseTo(2.5, org.assertj.core.api.Assertions.within(1e-3));
  }

  @Test
  void aGroupAppliesItsOwnEventsAndThoseForEveryGroup() throws Exception {
    EventCodec.Envelope forAll = EventCodec.decode(SEED);
    EventCodec.Envelope forShop =
        EventCodec.decode(SEED.replace("\"payload\"", "\"namespace\": \"shop\", \"payload\""));

    assertThat(EventLine.isFor(forAll, "shop")).isTrue();
    assertThat(EventLine.isFor(forShop, "shop")).isTrue();
    assertThat(EventLine.isFor(forShop, "blog")).isFalse();
  }
}
