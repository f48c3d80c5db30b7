package io.freshcache.spring;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.freshcache.ValueCodec;
import java.io.IOException;
import java.util.List;
import org.springframework.cache.support.NullValue;

/**
 * The shared tier's bytes for a Spring cache's values. A cached null is one zero byte (never the
 * start of JSON). Other values are JSON: of the cache's declared value type if it has one, or else
 * JSON that names the class of the value and of every object inside it (so a {@code List<Product>}
 * comes back as products, not maps), accepted only for classes in the trusted packages: bytes in
 * Redis never make an instance create a class it was not told to trust.
 */
final class SharedValues implements ValueCodec<Object> {

  private static final byte NULL = 0;
  private static final List<String> PLATFORM = List.of("java.lang.", "java.util.", "java.time.");

  private final String cache;
  private final ValueCodec<Object> plain;
  private final ObjectWriter writer;
  private final ObjectReader reader;
  private final List<String> trusted;

  private SharedValues(String cache, ValueCodec<Object> plain, List<String> trusted) {
    this.cache = cache;
    this.plain = plain;
    this.trusted = trusted;
    if (plain != null) {
      this.writer = null;
      this.reader = null;
      return;
    }
    BasicPolymorphicTypeValidator.Builder validator = BasicPolymorphicTypeValidator.builder();
    PLATFORM.forEach(validator::allowIfSubType);
    validator.allowIfSubType("java.math.");
    trusted.forEach(validator::allowIfSubType);
    validator.allowIfSubTypeIsArray();
    ObjectMapper mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .activateDefaultTyping(
                validator.build(), ObjectMapper.DefaultTyping.NON_FINAL, JsonTypeInfo.As.PROPERTY)
            .build();
    this.writer = mapper.writerFor(Object.class);
    this.reader = mapper.readerFor(Object.class);
  }

  /** Plain JSON of {@code type}, or a codec given as is; nulls handled around it. */
  @SuppressWarnings("unchecked")
  static SharedValues of(String cache, Class<?> type, ValueCodec<Object> codec) {
    ValueCodec<Object> plain = codec != null ? codec : (ValueCodec<Object>) ValueCodec.json(type);
    return new SharedValues(cache, plain, List.of());
  }

  /** JSON naming its classes, trusted only for classes under {@code packages} (and the JDK's). */
  static SharedValues typed(String cache, List<String> packages) {
    return new SharedValues(
        cache, null, packages.stream().map(p -> p.endsWith(".") ? p : p + ".").toList());
  }

  @Override
  public byte[] encode(Object value) {
    if (value instanceof NullValue) {
      return new byte[] {NULL};
    }
    if (plain != null) {
      return plain.encode(value);
    }
    requireTrusted(value.getClass());
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cache '"
              + cache
              + "': cannot encode a "
              + value.getClass().getName()
              + " as JSON: "
              + e.getOriginalMessage(),
          e);
    }
  }

  @Override
  public Object decode(byte[] bytes) {
    if (bytes.length == 1 && bytes[0] == NULL) {
      return NullValue.INSTANCE;
    }
    if (plain != null) {
      return plain.decode(bytes);
    }
    try {
      return reader.readValue(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cache '" + cache + "': cannot decode a value from JSON: " + e.getMessage(), e);
    }
  }

  private void requireTrusted(Class<?> type) {
    Class<?> element = type;
    while (element.isArray()) {
      element = element.getComponentType();
    }
    if (element.isPrimitive()) {
      return;
    }
    String name = element.getName();
    for (String prefix : PLATFORM) {
      if (name.startsWith(prefix)) {
        return;
      }
    }
    if (name.startsWith("java.math.")) {
      return;
    }
    for (String prefix : trusted) {
      if (name.startsWith(prefix)) {
        return;
      }
    }
    throw new IllegalArgumentException(
        "cache '"
            + cache
            + "': values of "
            + name
            + " cannot go to the shared tier, its package is not trusted; declare the cache's"
            + " value type (freshcache.caches."
            + cache
            + ".value-type="
            + name
            + ") or trust the package (freshcache.trusted-packages="
            + (element.getPackageName().isEmpty() ? name : element.getPackageName())
            + ")");
  }

  @Override
  public String toString() {
    return plain != null
        ? "SharedValues(" + plain + ")"
        : "SharedValues(typed JSON " + trusted + ")";
  }
}
