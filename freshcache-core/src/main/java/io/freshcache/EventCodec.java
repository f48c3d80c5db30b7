package io.freshcache;

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
 */
final class EventCodec {

  /** Larger messages are refused unread: no legitimate invalidation is a megabyte. */
  static final int MAX_MESSAGE_CHARS = 1 << 20;

  private static final Set<String> PAYLOAD_FIELDS =
      Set.of(
          "type", "keys", "pattern", "tags", "values", "version", "cascade", "cache", "allow_all");

  static final ObjectMapper JSON = new ObjectMapper();

  static {
    JSON.enable(com.fasterxml.jackson.core.JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(MAX_MESSAGE_CHARS)
                .build());
  }

  /** A message that is not a valid event; the reason says what is wrong with it. */
  static final class MalformedEventException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedEventException(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * An event decoded with the freshcache fields around it; {@code sigField} says whether the text
   * carried a top-level {@code sig} field (see {@link EventKeys}).
   */
  record Envelope(InvalidationEvent event, String namespace, boolean sigField) {}

  private EventCodec() {}

  /**
   * The event as one message, or as several if one would be over {@link #MAX_MESSAGE_CHARS}: a list
   * of keys or tags is split in halves until each part fits, so that no receiver refuses what this
   * instance already applied.
   *
   * @throws IllegalArgumentException if even one key or tag with the event's data does not fit
   */
  static List<String> encodeFitting(InvalidationEvent event, String namespace) {
    return encodeFitting(event, namespace, null);
  }

  /**
   * As {@link #encodeFitting(InvalidationEvent, String)}, each message signed with {@code keys}
   * (none if null): the one place where what a group sends is signed.
   */
  static List<String> encodeFitting(InvalidationEvent event, String namespace, EventKeys keys) {
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

  private static List<Invalidation> halves(Invalidation inv) {
    if (inv instanceof Invalidation.Keys keys && keys.keys().size() > 1) {
      int mid = keys.keys().size() / 2;
      return List.of(
          new Invalidation.Keys(
              keys.cache(), keys.keys().subList(0, mid), keys.cascade(), keys.version()),
          new Invalidation.Keys(
              keys.cache(),
              keys.keys().subList(mid, keys.keys().size()),
              keys.cascade(),
              keys.version()));
    }
    if (inv instanceof Invalidation.Tags tags && tags.tags().size() > 1) {
      int mid = tags.tags().size() / 2;
      return List.of(
          new Invalidation.Tags(tags.cache(), tags.tags().subList(0, mid)),
          new Invalidation.Tags(tags.cache(), tags.tags().subList(mid, tags.tags().size())));
    }
    if (inv instanceof Invalidation.Update update && update.keys().size() > 1) {
      int mid = update.keys().size() / 2;
      List<Invalidation> parts = new ArrayList<>();
      for (List<String> part :
          List.of(
              update.keys().subList(0, mid), update.keys().subList(mid, update.keys().size()))) {
        Map<String, Object> values = new LinkedHashMap<>();
        part.forEach(
            k -> {
              if (update.values().containsKey(k)) {
                values.put(k, update.values().get(k));
              }
            });
        parts.add(new Invalidation.Update(update.cache(), part, values, update.version()));
      }
      return parts;
    }
    return List.of();
  }

  /**
   * Domain data as a receiver decodes it: JSON-serialisable, with numbers, lists and maps of the
   * types Jackson reads back.
   *
   * @throws IllegalArgumentException if the data is not serialisable as JSON
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> asWireData(Map<String, ?> data) {
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

  static String encode(InvalidationEvent event, String namespace) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", event.type());
    // Plain decimal seconds, as plain publishers write them (1732665600.123), to the microsecond.
    root.put(
        "timestamp", BigDecimal.valueOf(event.timestamp()).setScale(6, RoundingMode.HALF_EVEN));
    ObjectNode payload = root.putObject("payload");
    Invalidation inv = event.invalidation();
    if (inv instanceof Invalidation.Keys keys) {
      payload.put("type", "delete");
      strings(payload.putArray("keys"), keys.keys());
      if (keys.cascade()) {
        payload.put("cascade", true);
      }
      keys.version().ifPresent(v -> payload.put("version", v));
    } else if (inv instanceof Invalidation.Tags tags) {
      payload.put("type", "tag");
      strings(payload.putArray("tags"), tags.tags());
    } else if (inv instanceof Invalidation.Pattern pattern) {
      payload.put("type", "pattern");
      payload.put("pattern", pattern.glob());
      if (pattern.allowMatchAll()) {
        payload.put("allow_all", true);
      }
    } else if (inv instanceof Invalidation.Update update) {
      payload.put("type", "update");
      strings(payload.putArray("keys"), update.keys());
      if (!update.values().isEmpty()) {
        payload.set("values", JSON.valueToTree(update.values()));
      }
      update.version().ifPresent(v -> payload.put("version", v));
    } else {
      payload.put("type", "all");
    }
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

  static Envelope decode(String message) throws MalformedEventException {
    if (message == null) {
      throw new MalformedEventException("null message");
    }
    if (message.length() > MAX_MESSAGE_CHARS) {
      throw new MalformedEventException(
          "message of "
              + message.length()
              + " characters is over the limit of "
              + MAX_MESSAGE_CHARS);
    }
    JsonNode root;
    try {
      root = JSON.readTree(message);
    } catch (JsonProcessingException e) {
      throw new MalformedEventException("not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedEventException("not a JSON object");
    }
    String type = text(root, "type", "event");
    try {
      EventTypes.requireValid(type);
    } catch (IllegalArgumentException e) {
      throw new MalformedEventException(e.getMessage());
    }
    JsonNode ts = root.get("timestamp");
    if (ts != null && !ts.isNumber()) {
      throw new MalformedEventException("timestamp is not a number");
    }
    JsonNode payload = root.get("payload");
    if (payload == null || !payload.isObject()) {
      throw new MalformedEventException("payload is missing or not an object");
    }
    String cache = payload.hasNonNull("cache") ? text(payload, "cache", "payload") : null;
    Invalidation inv;
    try {
      inv = invalidation(payload, cache);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedEventException("payload: " + e.getMessage());
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
        root.has("sig"));
  }

  private static Invalidation invalidation(JsonNode payload, String cache)
      throws MalformedEventException {
    String kind = text(payload, "type", "payload");
    switch (kind) {
      case "delete":
        return new Invalidation.Keys(
            cache, strings(payload, "keys"), bool(payload, "cascade"), version(payload));
      case "tag":
        return new Invalidation.Tags(cache, strings(payload, "tags"));
      case "pattern":
        return new Invalidation.Pattern(
            cache, text(payload, "pattern", "payload"), bool(payload, "allow_all"));
      case "update":
        Map<String, Object> values = new LinkedHashMap<>();
        JsonNode node = payload.get("values");
        if (node != null && !node.isNull()) {
          if (!node.isObject()) {
            throw new MalformedEventException("payload.values is not an object of key to value");
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
            "unknown payload type \"" + kind + "\" (expected delete, pattern, tag, update or all)");
    }
  }

  private static String text(JsonNode node, String field, String where)
      throws MalformedEventException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new MalformedEventException(where + "." + field + " is missing or not a string");
    }
    return value.asText();
  }

  private static boolean bool(JsonNode node, String field) throws MalformedEventException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new MalformedEventException("payload." + field + " is not a boolean");
    }
    return value.asBoolean();
  }

  private static OptionalLong version(JsonNode node) throws MalformedEventException {
    JsonNode value = node.get("version");
    if (value == null || value.isNull()) {
      return OptionalLong.empty();
    }
    if (!value.canConvertToExactIntegral() || !value.canConvertToLong()) {
      throw new MalformedEventException("payload.version is not an integer");
    }
    return OptionalLong.of(value.asLong());
  }

  private static List<String> strings(JsonNode node, String field) throws MalformedEventException {
    JsonNode value = node.get(field);
    if (value == null || !value.isArray()) {
      throw new MalformedEventException("payload." + field + " is missing or not an array");
    }
    List<String> result = new ArrayList<>(value.size());
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new MalformedEventException("payload." + field + " holds a non-string: " + item);
      }
      result.add(item.asText());
    }
    return result;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
