package io.freshcache;

/**
 * Refuses bad keys and values with messages that name the cache and say what to do. Erasure lets
 * raw-typed callers slip in anything, so types are checked at runtime too.
 */
final class Checks<K, V> {

  private final String cache;
  private final Class<K> keyType;
  private final Class<V> valueType;
  private final int maxKeyLength;

  Checks(String cache, Class<K> keyType, Class<V> valueType, int maxKeyLength) {
    this.cache = cache;
    this.keyType = keyType;
    this.valueType = valueType;
    this.maxKeyLength = maxKeyLength;
  }

  void key(K key) {
    if (key == null) {
      throw new NullPointerException("cache '" + cache + "': key must not be null");
    }
    if (!keyType.isInstance(key)) {
      throw new IllegalArgumentException(
          "cache '" + cache + "': key " + key + wrongType(key, keyType));
    }
    if (key instanceof CharSequence text && text.length() > maxKeyLength) {
      throw new IllegalArgumentException(
          "cache '"
              + cache
              + "': a key of "
              + text.length()
              + " characters is longer than the limit of "
              + maxKeyLength
              + " (starts \""
              + text.subSequence(0, 32)
              + "...\"); shorten it (a hash of the long part) or raise maxKeyLength");
    }
  }

  void value(V value) {
    if (value == null) {
      throw new NullPointerException("cache '" + cache + "': value must not be null");
    }
    if (!valueType.isInstance(value)) {
      throw new IllegalArgumentException(
          "cache '" + cache + "': value" + wrongType(value, valueType));
    }
  }

  /** What a source returned: never null, of the value type. */
  void loaded(K key, V value) {
    if (value == null) {
      throw new CacheLoadException(
          "cache '"
              + cache
              + "': the source returned null for key "
              + key
              + "; return a value the application recognises as absent, or throw");
    }
    if (!valueType.isInstance(value)) {
      throw new CacheLoadException(
          "cache '"
              + cache
              + "': the source returned for key "
              + key
              + " a value that"
              + wrongType(value, valueType));
    }
  }

  private static String wrongType(Object actual, Class<?> expected) {
    return " is a " + actual.getClass().getName() + ", not a " + expected.getName();
  }
}
