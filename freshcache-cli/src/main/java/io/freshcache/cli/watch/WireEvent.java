package io.freshcache.cli.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An invalidation event as it travels on Redis (the plain JSON wire format), read for display by
 * {@code freshcache watch}. The library's own decoder is internal to it; this one reads the same
 * format, checks its structure the way freshcache instances do (so that what they would refuse
 * shows as malformed), and is lenient about the rest: it never validates key or event-type syntax.
 *
 * @param type the event type, e.g. {@code user.updated}
 * @param timestamp the publisher's timestamp in seconds, or {@code null} if it sent none;
 *     wall-clock time only for freshcache publishers (those that send a {@code source})
 * @param kind {@code delete}, {@code tag}, {@code pattern}, {@code update} or {@code all}
 * @param cascade whether a delete also invalidates everything derived from its keys
 * @param targets the keys, tags or pattern (one element) the event invalidates; empty for {@code
 *     all}
 * @param cache the one cache it is limited to, or {@code null} for every cache of the group
 * @param version the version it carries, or {@code null}
 * @param source the publishing freshcache instance, or {@code null}
 * @param namespace the group it is for, or {@code null} for every group
 * @param data the payload's other fields (domain data such as {@code user_id})
 */
public record WireEvent(
    String type,
    Double timestamp,
    String kind,
    boolean cascade,
    List<String> targets,
    String cache,
    Long version,
    String source,
    String namespace,
    Map<String, Object> data) {

  /** freshcache instances refuse longer messages unread; so does this. */
  static final int MAX_MESSAGE_CHARS = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Set<String> PAYLOAD_FIELDS =
      Set.of(
          "type", "keys", "pattern", "tags", "values", "version", "cascade", "cache", "allow_all");

  /** A message that is not a valid event, and why. */
  public static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Reads one message from a {@code cache:invalidation:*} channel. */
  public static WireEvent decode(String message) throws MalformedException {
    if (message.length() > MAX_MESSAGE_CHARS) {
      throw new MalformedException(
          "message of "
              + message.length()
              + " characters is over the limit of "
              + MAX_MESSAGE_CHARS);
    }
    JsonNode root;
    try {
      root = JSON.readTree(message);
    } catch (JsonProcessingException e) {
      throw new MalformedException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedException("not a JSON object");
    }
    String type = text(root, "type", "");
    JsonNode ts = root.get("timestamp");
    if (ts != null && !ts.isNull() && !ts.isNumber()) {
      throw new MalformedException("timestamp is not a number");
    }
    JsonNode payload = root.get("payload");
    if (payload == null || !payload.isObject()) {
      throw new MalformedException("payload is missing or not an object");
    }
    String kind = text(payload, "type", "payload.");
    List<String> targets =
        switch (kind) {
          case "delete", "update" -> strings(payload, "keys");
          case "tag" -> strings(payload, "tags");
          case "pattern" -> List.of(text(payload, "pattern", "payload."));
          case "all" -> List.of();
          default ->
              throw new MalformedException(
                  "unknown payload type \""
                      + kind
                      + "\" (expected delete, pattern, tag, update or all)");
        };
    JsonNode cascade = payload.get("cascade");
    if (cascade != null && !cascade.isNull() && !cascade.isBoolean()) {
      throw new MalformedException("payload.cascade is not a boolean");
    }
    JsonNode version = payload.get("version");
    if (version != null && !version.isNull() && !version.canConvertToExactIntegral()) {
      throw new MalformedException("payload.version is not an integer");
    }
    return new WireEvent(
        type,
        ts == null || ts.isNull() ? null : ts.asDouble(),
        kind,
        cascade != null && cascade.asBoolean(),
        targets,
        payload.hasNonNull("cache") ? payload.get("cache").asText() : null,
        version == null || version.isNull() ? null : version.asLong(),
        root.hasNonNull("source") ? root.get("source").asText() : null,
        root.hasNonNull("namespace") ? root.get("namespace").asText() : null,
        data(payload));
  }

  /**
   * Milliseconds from publication to {@code received}, or {@code null} unless the event comes from
   * a freshcache instance: plain publishers may stamp a monotonic clock of their own process.
   */
  Double lagMillis(Instant received) {
    if (source == null || timestamp == null || timestamp <= 0) {
      return null;
    }
    return (received.getEpochSecond() - timestamp) * 1_000 + received.getNano() / 1e6;
  }

  /** Whether a group named {@code group} applies this event: its own, or one for every group. */
  boolean isFor(String group) {
    return namespace == null || namespace.equals(group);
  }

  private static String text(JsonNode node, String field, String where) throws MalformedException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new MalformedException(where + field + " is missing or not a string");
    }
    return value.asText();
  }

  private static List<String> strings(JsonNode payload, String field) throws MalformedException {
    JsonNode value = payload.get(field);
    if (value == null || !value.isArray()) {
      throw new MalformedException("payload." + field + " is missing or not an array");
    }
    List<String> result = new ArrayList<>(value.size());
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new MalformedException("payload." + field + " holds a non-string: " + item);
      }
      result.add(item.asText());
    }
    return List.copyOf(result);
  }

  private static Map<String, Object> data(JsonNode payload) {
    Map<String, Object> data = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = payload.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!PAYLOAD_FIELDS.contains(field.getKey()) && !field.getValue().isNull()) {
        data.put(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
      }
    }
    return Collections.unmodifiableMap(data);
  }
}
