package io.freshcache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * Values as JSON through Jackson: the codec behind {@link ValueCodec#json}, and the mapper it uses
 * when the application gives none.
 *
 * <p>The default mapper belongs to the value codec alone, not to the bus's event format, so that
 * neither changes with the other. It handles {@code java.time} types, written as ISO-8601 strings
 * so that a stored value reads plainly ({@code "2024-11-27T08:30:00Z"}, {@code "PT1H"}), and {@code
 * Optional} and its primitive forms; it ignores properties it does not know, so that an older
 * instance reads what a newer one wrote during a rolling deploy.
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

  JsonValues(Class<V> type, ObjectMapper mapper) {
    this.type = type;
    this.mapper = mapper;
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
    try {
      return mapper.readValue(bytes, type);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot decode a " + type.getName() + " from JSON: " + reason(e), e);
    }
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
