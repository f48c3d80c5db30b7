package io.freshcache.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The bus wire format (the plain JSON of the README's "A fleet on Redis"), both ways:
 *
 * <pre>{@code
 * {"type": "user.updated", "timestamp": 1732665600.123,
 *  "payload": {"type": "delete", "keys": ["user:profile:123"], "user_id": 123}}
 * }</pre>
 *
 * <p>Payload types: {@code delete} (keys; optional {@code cascade}, {@code version}), {@code
 * pattern} (pattern), {@code tag} (tags), {@code update} (keys; optional {@code values}, {@code
 * version}), and freshcache's {@code all}. freshcache adds {@code source} (the publishing
 * instance), {@code namespace} (the group) at the top and {@code cache} in the payload; a publisher
 * that sends none of them is understood all the same. Every other payload field is domain data.
 * Other top-level fields are passed over: freshcache's Redis bus adds one, last, to the copies it
 * publishes on its channels ({@code "log"}, the event's place in its namespace's log), and removes
 * it again before it hands an event on.
 */
public final class EventCodec {

  /** Larger messages are refused unread: no legitimate invalidation is a megabyte. */
  public static final int MAX_MESSAGE_CHARS = 1 << 20;

  private static final Set<String> PAYLOAD_FIELDS =
      Set.of(
          "type", "keys", "pattern", "tags", "values", "version", "cascade", "cache", "allow_all");

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    JSON.enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    // Every delivered event carries a fractional timestamp: the JDK's parse of it was a tenth of a
    // receiver's decoding; this parser gives the same, correctly rounded double.
    JSON.enable(
        com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER.mappedFeature());
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(MAX_MESSAGE_CHARS)
                .build());
  }

  /** What is wrong with a message that is not a valid event. */
  public enum Reason {
    /** No message at all. */
    NULL,
    /** Longer than {@link #MAX_MESSAGE_CHARS}; refused unread. */
    TOO_LONG,
    /** Not JSON text. */
    NOT_JSON,
    /** JSON, but not an object. */
    NOT_AN_OBJECT,
    /** The top-level {@code type} is missing, not a string, or not a dotted event type. */
    EVENT_TYPE,
    /** The {@code timestamp} is not a number. */
    TIMESTAMP,
    /** The {@code payload} is missing or not an object. */
    PAYLOAD,
    /** The payload's {@code type} is missing or not one of the five. */
    PAYLOAD_TYPE,
    /** A payload field has the wrong JSON type (keys not an array, version not an integer…). */
    PAYLOAD_FIELD,
    /**
     * The invalidation the payload asks for is not valid (no keys, a key over {@link
     * Names#MAX_LENGTH}, a pattern that matches everything without {@code allow_all}…).
     */
    INVALIDATION
  }

  /**
   * A message that is not a valid event; {@link #reason()} says what kind of wrong, the text how.
   */
  public static final class MalformedEventException extends Exception {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    MalformedEventException(Reason reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }

    /** What is wrong with the message. */
    public Reason reason() {
      return reason;
    }
  }

  /**
   * An event decoded with the freshcache fields around it.
   *
   * @param event the event
   * @param namespace the group it is for, or {@code null} for every group
   * @param signature the signature the message ended with in the signing recipe's exact shape, or
   *     {@code null} if none (see {@link EventKeys})
   * @param sigField whether the text, less that signature, still carried a top-level {@code sig}
   *     field: a signature in another shape, which no instance's keys verify
   */
  public record Envelope(
      InvalidationEvent event, String namespace, EventKeys.Signed signature, boolean sigField) {}

  private EventCodec() {}

  /**
   * The event as one message, or as several if one would be over {@link #MAX_MESSAGE_CHARS}: a list
   * of keys or tags is split in halves until each part fits, so that no receiver refuses what this
   * instance already applied.
   *
   * @throws IllegalArgumentException if even one key or tag with the event's data does not fit
   */
  public static List<String> encodeFitting(InvalidationEvent event, String namespace) {
    return encodeFitting(event, namespace, null);
  }

  /**
   * As {@link #encodeFitting(InvalidationEvent, String)}, each message signed with {@code keys}
   * (none if null): the one place where what a group sends is signed.
   */
  public static List<String> encodeFitting(
      InvalidationEvent event, String namespace, EventKeys keys) {
    String unsigned = encode(event, namespace);
    String message = keys == null ? unsigned : keys.sign(unsigned);
    if (message.length() <= MAX_MESSAGE_CHARS) {
      return List.of(message);
    }
    List<Invalidation> halves = halves(event.invalidation());
    if (halves.isEmpty()) {
      throw new IllegalArgumentException(
          "a "
              + event.type()
              + " event encodes to "
              + message.length()
              + " characters, over the bus's limit of "
              + MAX_MESSAGE_CHARS
              + " even with a single key or tag: make its data smaller; nothing was invalidated");
    }
    List<String> messages = new ArrayList<>();
    for (Invalidation half : halves) {
      messages.addAll(
          encodeFitting(
              new InvalidationEvent(
                  event.type(), event.timestamp(), half, event.data(), event.source()),
              namespace,
              keys));
    }
    return messages;
  }

  /**
   * The invalidation in two parts that together invalidate the same, or none if it cannot split.
   */
  private static List<Invalidation> halves(Invalidation inv) {
    return inv.match(
        new Invalidation.Cases<List<Invalidation>>() {
          @Override
          public List<Invalidation> keys(Invalidation.Keys keys) {
            List<Invalidation> parts = new ArrayList<>();
            for (List<String> half : halves(keys.keys())) {
              parts.add(new Invalidation.Keys(keys.cache(), half, keys.cascade(), keys.version()));
            }
            return parts;
          }

          @Override
          public List<Invalidation> tags(Invalidation.Tags tags) {
            List<Invalidation> parts = new ArrayList<>();
            for (List<String> half : halves(tags.tags())) {
              parts.add(new Invalidation.Tags(tags.cache(), half));
            }
            return parts;
          }

          @Override
          public List<Invalidation> pattern(Invalidation.Pattern pattern) {
            return List.of();
          }

          @Override
          public List<Invalidation> update(Invalidation.Update update) {
            List<Invalidation> parts = new ArrayList<>();
            for (List<String> half : halves(update.keys())) {
              Map<String, Object> values = new LinkedHashMap<>();
              for (String key : half) {
                if (update.values().containsKey(key)) {
                  values.put(key, update.values().get(key));
                }
              }
              parts.add(new Invalidation.Update(update.cache(), half, values, update.version()));
            }
            return parts;
          }

          @Override
          public List<Invalidation> all(Invalidation.All all) {
            return List.of();
          }
        });
  }

  private static List<List<String>> halves(List<String> names) {
    if (names.size() < 2) {
      return List.of();
    }
    int mid = names.size() / 2;
    return List.of(names.subList(0, mid), names.subList(mid, names.size()));
  }

  /**
   * Domain data as a receiver decodes it: JSON-serialisable, with numbers, lists and maps of the
   * types Jackson reads back.
   *
   * @throws IllegalArgumentException if the data is not serialisable as JSON
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asWireData(Map<String, ?> data) {
    Map<String, Object> copy;
    try {
      // Through text, not convertValue: a token buffer would keep a Long a Long.
      byte[] json = JSON.writeValueAsBytes(data);
      if (json.length > MAX_MESSAGE_CHARS) {
        throw new IllegalArgumentException(
            "event data of "
                + json.length
                + " bytes is over the bus's limit of "
                + MAX_MESSAGE_CHARS
                + " characters for a whole event: make it smaller; nothing was invalidated");
      }
      copy = JSON.readValue(json, Map.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "event data is not serialisable as JSON: " + e.getMessage(), e);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    copy.forEach(
        (k, v) -> {
          if (v != null) {
            result.put(k, v);
          }
        });
    return result;
  }

  /**
   * The event as one message of the wire format, unsigned and without a size check (see {@link
   * #encodeFitting} for what a group sends).
   *
   * @param namespace the group it is for, or {@code null} for every group
   */
  public static String encode(InvalidationEvent event, String namespace) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", event.type());
    // Plain decimal seconds, as plain publishers write them (1732665600.123), to the microsecond.
    root.put(
        "timestamp", BigDecimal.valueOf(event.timestamp()).setScale(6, RoundingMode.HALF_EVEN));
    ObjectNode payload = root.putObject("payload");
    Invalidation inv = event.invalidation();
    inv.match(
        new Invalidation.Cases<Void>() {
          @Override
          public Void keys(Invalidation.Keys keys) {
            payload.put("type", "delete");
            strings(payload.putArray("keys"), keys.keys());
            if (keys.cascade()) {
              payload.put("cascade", true);
            }
            keys.version().ifPresent(v -> payload.put("version", v));
            return null;
          }

          @Override
          public Void tags(Invalidation.Tags tags) {
            payload.put("type", "tag");
            strings(payload.putArray("tags"), tags.tags());
            return null;
          }

          @Override
          public Void pattern(Invalidation.Pattern pattern) {
            payload.put("type", "pattern");
            payload.put("pattern", pattern.glob());
            if (pattern.allowMatchAll()) {
              payload.put("allow_all", true);
            }
            return null;
          }

          @Override
          public Void update(Invalidation.Update update) {
            payload.put("type", "update");
            strings(payload.putArray("keys"), update.keys());
            if (!update.values().isEmpty()) {
              payload.set("values", JSON.valueToTree(update.values()));
            }
            update.version().ifPresent(v -> payload.put("version", v));
            return null;
          }

          @Override
          public Void all(Invalidation.All all) {
            payload.put("type", "all");
            return null;
          }
        });
    if (inv.cache() != null) {
      payload.put("cache", inv.cache());
    }
    event.data().forEach((k, v) -> payload.set(k, JSON.valueToTree(v)));
    if (event.source() != null) {
      root.put("source", event.source());
    }
    if (namespace != null) {
      root.put("namespace", namespace);
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "event data is not serialisable as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Reads one message of the wire format as every instance does, strictly: what this refuses, an
   * instance counts as malformed and ignores. A trailing signature is split off first ({@link
   * Envelope#signature()}); checking it is the receiver's business ({@link EventKeys#verify}).
   *
   * @throws MalformedEventException saying what is wrong with it
   */
  public static Envelope decode(String message) throws MalformedEventException {
    if (message == null) {
      throw new MalformedEventException(Reason.NULL, "null message");
    }
    if (message.length() > MAX_MESSAGE_CHARS) {
      throw new MalformedEventException(
          Reason.TOO_LONG,
          "message of "
              + message.length()
              + " characters is over the limit of "
              + MAX_MESSAGE_CHARS);
    }
    EventKeys.Signed signature = EventKeys.split(message);
    JsonNode root;
    try {
      root = JSON.readTree(signature == null ? message : signature.text());
    } catch (JsonProcessingException e) {
      throw new MalformedEventException(Reason.NOT_JSON, "not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedEventException(Reason.NOT_AN_OBJECT, "not a JSON object");
    }
    String type = text(root, "type", "event", Reason.EVENT_TYPE);
    try {
      EventTypes.requireValid(type);
    } catch (IllegalArgumentException e) {
      throw new MalformedEventException(Reason.EVENT_TYPE, e.getMessage());
    }
    JsonNode ts = root.get("timestamp");
    if (ts != null && !ts.isNumber()) {
      throw new MalformedEventException(Reason.TIMESTAMP, "timestamp is not a number");
    }
    JsonNode payload = root.get("payload");
    if (payload == null || !payload.isObject()) {
      throw new MalformedEventException(Reason.PAYLOAD, "payload is missing or not an object");
    }
    String cache =
        payload.hasNonNull("cache")
            ? text(payload, "cache", "payload", Reason.PAYLOAD_FIELD)
            : null;
    Invalidation inv;
    try {
      inv = invalidation(payload, cache);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedEventException(Reason.INVALIDATION, "payload: " + e.getMessage());
    }
    Map<String, Object> data = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = payload.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!PAYLOAD_FIELDS.contains(field.getKey()) && !field.getValue().isNull()) {
        data.put(field.getKey(), JSON.convertValue(field.getValue(), Object.class));
      }
    }
    String source = root.hasNonNull("source") ? root.get("source").asText() : null;
    String namespace = root.hasNonNull("namespace") ? root.get("namespace").asText() : null;
    return new Envelope(
        new InvalidationEvent(type, ts == null ? 0.0 : ts.asDouble(), inv, data, source),
        namespace,
        signature,
        root.has("sig"));
  }

  /**
   * A value of an {@code update} event's {@code values} as {@code type}, read the way the event's
   * JSON reads: plain Jackson binding, no value codec.
   *
   * @throws IllegalArgumentException if the value is not a {@code type}
   */
  public static <T> T valueAs(Object wireValue, Class<T> type) {
    return JSON.convertValue(wireValue, type);
  }

  private static Invalidation invalidation(JsonNode payload, String cache)
      throws MalformedEventException {
    String kind = text(payload, "type", "payload", Reason.PAYLOAD_TYPE);
    switch (kind) {
      case "delete":
        return new Invalidation.Keys(
            cache, strings(payload, "keys"), bool(payload, "cascade"), version(payload));
      case "tag":
        return new Invalidation.Tags(cache, strings(payload, "tags"));
      case "pattern":
        return new Invalidation.Pattern(
            cache,
            text(payload, "pattern", "payload", Reason.PAYLOAD_FIELD),
            bool(payload, "allow_all"));
      case "update":
        Map<String, Object> values = new LinkedHashMap<>();
        JsonNode node = payload.get("values");
        if (node != null && !node.isNull()) {
          if (!node.isObject()) {
            throw new MalformedEventException(
                Reason.PAYLOAD_FIELD, "payload.values is not an object of key to value");
          }
          node.fields()
              .forEachRemaining(
                  f -> {
                    if (!f.getValue().isNull()) {
                      values.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class));
                    }
                  });
        }
        return new Invalidation.Update(cache, strings(payload, "keys"), values, version(payload));
      case "all":
        return new Invalidation.All(cache);
      default:
        throw new MalformedEventException(
            Reason.PAYLOAD_TYPE,
            "unknown payload type \"" + kind + "\" (expected delete, pattern, tag, update or all)");
    }
  }

  private static String text(JsonNode node, String field, String where, Reason reason)
      throws MalformedEventException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new MalformedEventException(
          reason, where + "." + field + " is missing or not a string");
    }
    return value.asText();
  }

  private static boolean bool(JsonNode node, String field) throws MalformedEventException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new MalformedEventException(
          Reason.PAYLOAD_FIELD, "payload." + field + " is not a boolean");
    }
    return value.asBoolean();
  }

  private static OptionalLong version(JsonNode node) throws MalformedEventException {
    JsonNode value = node.get("version");
    if (value == null || value.isNull()) {
      return OptionalLong.empty();
    }
    if (!value.canConvertToExactIntegral() || !value.canConvertToLong()) {
      throw new MalformedEventException(Reason.PAYLOAD_FIELD, "payload.version is not an integer");
    }
    return OptionalLong.of(value.asLong());
  }

  private static List<String> strings(JsonNode node, String field) throws MalformedEventException {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      throw new MalformedEventException(
          Reason.PAYLOAD_FIELD, "payload." + field + " is missing or not an array");
    }
    List<String> result = new ArrayList<>(value.size());
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new MalformedEventException(
            Reason.PAYLOAD_FIELD, "payload." + field + " holds a non-string: " + item);
      }
      result.add(item.asText());
    }
    return result;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
