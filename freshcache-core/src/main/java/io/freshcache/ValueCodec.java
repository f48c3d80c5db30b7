package io.freshcache;

import java.io.IOException;
import java.util.Objects;

/**
 * Turns a cache's values into bytes and back, for the shared tier. The default is JSON through
 * Jackson ({@link #json}); give another with {@link FreshCacheBuilder#valueCodec}.
 *
 * <p>Both methods must be thread-safe and must not return null. A value that cannot be encoded or
 * bytes that cannot be decoded throw an unchecked exception: a {@code put} then fails and changes
 * nothing, a loaded value is served but not shared, and undecodable shared bytes are reloaded from
 * the source.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

  /** The value's bytes. */
  byte[] encode(V value);

  /** The value these bytes stand for. */
  V decode(byte[] bytes);

  /** JSON through core's Jackson mapper, for values of {@code type}. */
  static <V> ValueCodec<V> json(Class<V> type) {
    Objects.requireNonNull(type, "type must not be null");
    return new ValueCodec<>() {
      @Override
      public byte[] encode(V value) {
        try {
          return EventCodec.JSON.writeValueAsBytes(value);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              "cannot encode a " + type.getName() + " as JSON: " + e.getMessage(), e);
        }
      }

      @Override
      public V decode(byte[] bytes) {
        try {
          return EventCodec.JSON.readValue(bytes, type);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              "cannot decode a " + type.getName() + " from JSON: " + e.getMessage(), e);
        }
      }

      @Override
      public String toString() {
        return "ValueCodec.json(" + type.getName() + ")";
      }
    };
  }
}
