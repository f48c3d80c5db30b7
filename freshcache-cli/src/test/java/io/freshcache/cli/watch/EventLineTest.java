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

  /** A change-capture event as PgChangeCapture publishes it: commit time, xid and lsn. */
  private static EventCodec.Envelope cdc(double commitSeconds, long xid) throws Exception {
    return EventCodec.decode(
        "{\"type\":\"freshcache.cdc\",\"timestamp\":"
            + java.math.BigDecimal.valueOf(commitSeconds).toPlainString()
            + ",\"namespace\":\"shop\",\"payload\":{\"type\":\"delete\",\"keys\":[\"product:1\"],"
            + "\"xid\":"
            + xid
            + ",\"lsn\":\"0/16B3F28\"}}");
  }

  @Test
  void aChangeCaptureEventShowsItsTransactionAndTheCommitToSeenLagWithRunningPercentiles()
      throws Exception {
    CommitLags lags = new CommitLags();
    // committed 2.5 ms, then 10.5 ms, then 4.5 ms before RECEIVED (on the database's clock)
    String first = text.event(cdc(1732665600.123, 700), CHANNEL, RECEIVED, lags);
    String second = text.event(cdc(1732665600.115, 701), CHANNEL, RECEIVED, lags);
    String third = text.event(cdc(1732665600.121, 702), CHANNEL, RECEIVED, lags);

    assertThat(first)
        .isEqualTo(
            "00:00:00.125  freshcache.cdc            delete          keys=[product:1]"
                + "  namespace=shop  xid=700  lsn=0/16B3F28  commit_lag=2.5ms (p50 2.5ms, p99"
                + " 2.5ms of 1)");
    assertThat(second)
        .endsWith("xid=701  lsn=0/16B3F28  commit_lag=10.5ms (p50 2.5ms, p99 10.5ms of 2)");
    assertThat(third).endsWith("commit_lag=4.5ms (p50 4.5ms, p99 10.5ms of 3)");
    assertThat(lags.summary())
        .isEqualTo(
            "commit -> seen lag of 3 change-capture events: p50 4.5 ms, p99 10.5 ms, max 10.5 ms");
  }

  @Test
  void aChangeCaptureEventInJsonCarriesTheLagAndItsPercentiles() throws Exception {
    CommitLags lags = new CommitLags();
    JsonNode line = JSON.readTree(json.event(cdc(1732665600.123, 700), CHANNEL, RECEIVED, lags));

    assertThat(line.get("commit_lag_ms").asText()).isEqualTo("2.5");
    assertThat(line.get("commit_lag_p50_ms").asText()).isEqualTo("2.5");
    assertThat(line.get("commit_lag_p99_ms").asText()).isEqualTo("2.5");
    assertThat(line.get("commit_lag_count").asLong()).isEqualTo(1);
    assertThat(line.get("data").get("xid").asLong()).isEqualTo(700);
    assertThat(line.has("lag_ms")).as("no source: not an instance's publication").isFalse();
  }

  @Test
  void onlyChangeCaptureEventsTakeTheirTimestampForWallClockTime() throws Exception {
    CommitLags lags = new CommitLags();
    // a plain publisher of the JSON format: a monotonic clock's seconds, an xid in its domain data,
    // another type
    String seed =
        text.event(
            event("", "{\"type\":\"delete\",\"keys\":[\"user:1\"],\"xid\":5}"),
            CHANNEL,
            RECEIVED,
            lags);
    // a loss of the capture: no transaction, no commit time
    String loss =
        text.event(
            EventCodec.decode(
                "{\"type\":\"freshcache.cdc\",\"timestamp\":1732665600.1,\"payload\":"
                    + "{\"type\":\"pattern\",\"pattern\":\"product:*\",\"loss\":\"slot dropped\"}}"),
            CHANNEL,
            RECEIVED,
            lags);

    assertThat(seed).doesNotContain("commit_lag");
    assertThat(loss).doesNotContain("commit_lag").endsWith("loss=slot dropped");
    assertThat(lags.count()).isZero();
    assertThat(lags.summary()).isNull();
  }

  @Test
  void aNegativeLagCountsAsZeroAndIsSaidInTheSummary() throws Exception {
    CommitLags lags = new CommitLags();
    text.event(cdc(1732665600.130, 700), CHANNEL, RECEIVED, lags); // 4.5 ms in the future

    assertThat(lags.summary())
        .isEqualTo(
            "commit -> seen lag of 1 change-capture events: p50 0.0 ms, p99 0.0 ms, max 0.0 ms"
                + " (1 negative, counted as 0: the database host's clock is ahead)");
  }
}
