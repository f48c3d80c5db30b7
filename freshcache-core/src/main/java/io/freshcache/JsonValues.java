package io.freshcache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Values as JSON through Jackson: the codec behind {@link ValueCodec#json}, and the mapper it uses
 * when the application gives none.
 *
 * <p>The default mapper belongs to the value codec alone, not to the bus's event format, so that
 * neither changes with the other. It handles {@code java.time} types, written as ISO-8601 strings
 * so that a stored value reads plainly ({@code "2024-11-27T08:30:00Z"}, {@code "PT1H"}), and {@code
 * Optional} and its primitive forms; it ignores properties it does not know, so that an older
 * instance reads what a newer one wrote during a rolling deploy.
 *
 * <p>Decoding reads through an {@link ObjectReader} made once for the type. A {@code String} value
 * through the default mapper whose JSON is a plain string (printable ASCII, no escapes) is read
 * straight into the {@code String}: the same value Jackson would give, without its parser and
 * buffers; anything else goes through Jackson.
 */
final class JsonValues<V> implements ValueCodec<V> {

  static final ObjectMapper DEFAULT_MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private final Class<V> type;
  private final ObjectMapper mapper;
  private final ObjectReader reader;

  /** Whether plain JSON strings may skip Jackson: String values through the default mapper. */
  private final boolean plainStrings;

  JsonValues(Class<V> type, ObjectMapper mapper) {
    this.type = type;
    this.mapper = mapper;
    this.reader = mapper.readerFor(type);
    this.plainStrings = type == String.class && mapper == DEFAULT_MAPPER;
  }

  @Override
  public byte[] encode(V value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot encode a " + type.getName() + " as JSON: " + reason(e), e);
    }
  }

  @Override
  public V decode(byte[] bytes) {
    if (plainStrings) {
      String plain = plainString(bytes);
      if (plain != null) {
        return type.cast(plain);
      }
    }
    try {
      return reader.readValue(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot decode a " + type.getName() + " from JSON: " + reason(e), e);
    }
  }

  /**
   * The string a JSON document of one plain string stands for, or null if it is anything else: a
   * quote, printable ASCII without a quote or a backslash, a quote. Jackson reads such a document
   * as exactly these characters.
   */
  static String plainString(byte[] json) {
    int last = json.length - 1;
    if (last < 1 || json[0] != '"' || json[last] != '"') {
      return null;
    }
    for (int i = 1; i < last; i++) {
      byte b = json[i];
      if (b < 0x20 || b == '"' || b == '\\') { // negative: a byte of a multi-byte character
        return null;
      }
    }
    return new String(json, 1, last - 1, StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return mapper == DEFAULT_MAPPER
        ? "ValueCodec.json(" + type.getName() + ")"
        : "ValueCodec.json(" + type.getName() + ", " + mapper.getClass().getSimpleName() + ")";
  }

  /**
   * Jackson's reason on one line, with the property path and without the input location: it ends up
   * in one-line log messages and exception messages.
   */
  private static String reason(IOException e) {
    String reason = e.getMessage();
    if (e instanceof JsonProcessingException processing) {
      reason = processing.getOriginalMessage();
      if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
        reason += " (at " + mapping.getPathReference() + ")";
      }
    }
    return String.valueOf(reason).replaceAll("\\s*\\R\\s*", " ");
  }
}
