package io.freshcache;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;

/**
 * Turns a cache's values into bytes and back, for the shared tier. The default is JSON through
 * Jackson ({@link #json(Class)}); give another with {@link FreshCacheBuilder#valueCodec}.
 *
 * <p>Both methods must be thread-safe and must not return null, and {@code decode} must read what
 * {@code encode} writes. A value that cannot be encoded or bytes that cannot be decoded throw an
 * unchecked exception: a {@code put} then fails and changes nothing, a loaded value is served but
 * not shared, and undecodable shared bytes are reloaded from the source (counted as shared
 * failures, logged once per run of failures, without a stack trace).
 *
 * <p><b>Round-trip check.</b> The first value of each class that a cache encodes (at its first put
 * or first shared fill) is also decoded once. If that fails, values of the class encode but cannot
 * be read back, so sharing them would only make every other instance fail on every miss: the put
 * fails with an {@link IllegalArgumentException} naming the cache, the class, the reason and the
 * fix, and changes nothing; a loaded value is served but not shared, with one warning. The verdict
 * is kept per class for the life of the cache (not per value: a polymorphic value type may have
 * subclasses that decode and others that do not), so later values of a class cost no decode.
 *
 * @param <V> the value type
 */
public interface ValueCodec<V> {

  /** The value's bytes. */
  byte[] encode(V value);

  /** The value these bytes stand for. */
  V decode(byte[] bytes);

  /**
   * JSON through freshcache's own Jackson mapper, for values of {@code type}: records and beans,
   * {@code java.time} types written as ISO-8601 strings ({@code "2024-11-27T08:30:00Z"}, {@code
   * "PT1H"}), {@code Optional} and its primitive forms. Properties the class does not know are
   * ignored on decode, so an older instance reads what a newer one wrote. A class needs a way for
   * Jackson to create it: a record, a default constructor, or a {@code @JsonCreator} constructor.
   */
  static <V> ValueCodec<V> json(Class<V> type) {
    Objects.requireNonNull(type, "type must not be null");
    return new JsonValues<>(type, JsonValues.DEFAULT_MAPPER);
  }

  /**
   * JSON through the application's own {@code mapper}, for values of {@code type}: its modules,
   * naming strategy and features apply. The mapper is used as given: freshcache registers nothing
   * on it and changes none of its settings (so it handles {@code java.time} or {@code Optional}
   * only if the application registered the modules for them). Configure it before building the
   * cache, and do not reconfigure it while the cache runs.
   */
  static <V> ValueCodec<V> json(Class<V> type, ObjectMapper mapper) {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(mapper, "mapper must not be null");
    return new JsonValues<>(type, mapper);
  }
}
