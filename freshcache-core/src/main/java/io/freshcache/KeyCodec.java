package io.freshcache;

import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Names a cache's keys on the bus: every key has a string form, and an invalidation that arrives as
 * a string must find the key it names. The string form is what tags, patterns, dependencies and
 * events speak of, after the cache's key prefix.
 *
 * <p>Built in for {@code String}, {@code Long}, {@code Integer} and {@code UUID} keys; other key
 * types need one, given to the builder. {@link #decode} returns {@code null} for a string that is
 * not one of this cache's keys (an event meant for another cache).
 *
 * @param <K> the key type
 */
public interface KeyCodec<K> {

  /** The key's string form; the same key must always give the same string. */
  String encode(K key);

  /** The key a string names, or {@code null} if it names none. Must not throw. */
  K decode(String text);

  /** A codec from a pair of functions; {@code parse} may throw on foreign strings. */
  static <K> KeyCodec<K> of(
      Function<? super K, String> format, Function<String, ? extends K> parse) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(parse, "parse");
    return new KeyCodec<>() {
      @Override
      public String encode(K key) {
        return format.apply(key);
      }

      @Override
      public K decode(String text) {
        try {
          return parse.apply(text);
        } catch (RuntimeException notOurs) {
          return null;
        }
      }
    };
  }

  /** The built-in codec for {@code type}, or {@code null} if there is none. */
  @SuppressWarnings("unchecked")
  static <K> KeyCodec<K> builtIn(Class<K> type) {
    if (type == String.class) {
      return (KeyCodec<K>) of(Function.<String>identity(), Function.identity());
    }
    if (type == Long.class) {
      return (KeyCodec<K>) of(String::valueOf, Long::valueOf);
    }
    if (type == Integer.class) {
      return (KeyCodec<K>) of(String::valueOf, Integer::valueOf);
    }
    if (type == UUID.class) {
      return (KeyCodec<K>) of(UUID::toString, UUID::fromString);
    }
    return null;
  }
}
