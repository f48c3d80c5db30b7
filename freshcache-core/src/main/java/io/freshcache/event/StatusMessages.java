package io.freshcache.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshcache.stats.InstanceStatus;
import io.freshcache.stats.PropagationLag;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

/**
 * The wire form of an instance's periodic status ({@link InstanceStatus}): an event of type {@value
 * #TYPE} whose payload type is {@code status}, in the bus's JSON envelope, so it travels every bus
 * and lands in Redis's log like any event. Plain subscribers see a payload type they do not know
 * and skip it; freshcache instances recognise it by its first characters ({@link #isStatus}) and
 * skip it before decoding, so a status costs a receiver one comparison. It invalidates nothing and
 * is not signed: it reports, it does not act.
 *
 * <pre>{@code
 * {"type":"freshcache.status","timestamp":1732665600.123,"payload":{"type":"status",
 *  "host":"web-1","pid":4242,"started_ms":1732665000000,"interval_ms":5000,"closing":false,
 *  "live":true,"losses":0,"suspensions":1,"outbox":0,"publish_failures":0,
 *  "lag":{"count":812,"p50_us":410,"p99_us":2100,"max_us":9800},"caches":2,
 *  "hits":91822,"misses":3120,"verified":400,"verified_stale":0},
 *  "source":"7f3a...","namespace":"shop"}
 * }</pre>
 */
public final class StatusMessages {

  /** The event type of status messages. */
  public static final String TYPE = "freshcache.status";

  /** How every status message starts, as {@link #encode} writes it. */
  private static final String PREFIX = "{\"type\":\"" + TYPE + "\"";

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusMessages() {}

  /** Whether {@code message} is a status message as freshcache writes them; cheap. */
  public static boolean isStatus(String message) {
    return message.startsWith(PREFIX);
  }

  /** The status as one message. */
  public static String encode(InstanceStatus status) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", TYPE);
    root.put("timestamp", BigDecimal.valueOf(status.sentAt().toEpochMilli(), 3));
    ObjectNode payload = root.putObject("payload");
    payload.put("type", "status");
    payload.put("host", status.host());
    payload.put("pid", status.pid());
    payload.put("started_ms", status.startedAt().toEpochMilli());
    payload.put("interval_ms", status.interval().toMillis());
    payload.put("closing", status.closing());
    payload.put("live", status.live());
    payload.put("losses", status.losses());
    payload.put("suspensions", status.suspensions());
    payload.put("outbox", status.outboxDepth());
    payload.put("publish_failures", status.publishFailures());
    ObjectNode lag = payload.putObject("lag");
    lag.put("count", status.lag().count());
    lag.put("p50_us", status.lag().p50Micros());
    lag.put("p99_us", status.lag().p99Micros());
    lag.put("max_us", status.lag().maxMicros());
    payload.put("caches", status.caches());
    payload.put("hits", status.hits());
    payload.put("misses", status.misses());
    payload.put("verified", status.verified());
    payload.put("verified_stale", status.verifiedStale());
    root.put("source", status.instanceId());
    root.put("namespace", status.namespace());
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a status did not encode", e);
    }
  }

  /**
   * Reads a status message.
   *
   * @throws IllegalArgumentException saying what is missing or wrong, if it is not one
   */
  public static InstanceStatus decode(String message) {
    JsonNode root;
    try {
      root = JSON.readTree(message);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject() || !TYPE.equals(root.path("type").asText())) {
      throw new IllegalArgumentException("not a " + TYPE + " event");
    }
    JsonNode payload = root.path("payload");
    if (!"status".equals(payload.path("type").asText())) {
      throw new IllegalArgumentException("its payload is not of type status");
    }
    JsonNode lag = payload.path("lag");
    long interval = number(payload, "interval_ms");
    if (interval <= 0) {
      throw new IllegalArgumentException("interval_ms must be more than 0");
    }
    return new InstanceStatus(
        text(root, "source"),
        text(root, "namespace"),
        text(payload, "host"),
        number(payload, "pid"),
        Instant.ofEpochMilli(number(payload, "started_ms")),
        Instant.ofEpochMilli(root.path("timestamp").decimalValue().movePointRight(3).longValue()),
        Duration.ofMillis(interval),
        flag(payload, "closing"),
        flag(payload, "live"),
        number(payload, "losses"),
        number(payload, "suspensions"),
        (int) number(payload, "outbox"),
        number(payload, "publish_failures"),
        new PropagationLag(
            number(lag, "count"),
            number(lag, "p50_us"),
            number(lag, "p99_us"),
            number(lag, "max_us")),
        (int) number(payload, "caches"),
        number(payload, "hits"),
        number(payload, "misses"),
        number(payload, "verified"),
        number(payload, "verified_stale"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("field " + field + " is missing or not text");
    }
    return value.asText();
  }

  private static long number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
      throw new IllegalArgumentException("field " + field + " is missing or not a whole number");
    }
    return value.asLong();
  }

  private static boolean flag(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isBoolean()) {
      throw new IllegalArgumentException("field " + field + " is missing or not true/false");
    }
    return value.asBoolean();
  }
}
