package io.freshcache.spring;

import java.util.UUID;
import java.util.function.Function;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * Turns a Spring cache key into the string a freshcache cache holds it under. The string is the
 * key's name on the bus (after the cache's key prefix), so it must be the same for equal keys on
 * every instance: strings, numbers, UUIDs, enums, booleans and characters by their text; a {@link
 * SimpleKey} (several method arguments) and any class that defines its own {@code toString} (a
 * record, say) by that. A key whose class keeps {@code Object.toString} would be named after its
 * identity hash, different on every instance, and is refused.
 */
final class KeyNames implements Function<Object, String> {

  static final KeyNames DEFAULT = new KeyNames();

  private KeyNames() {}

  @Override
  public String apply(Object key) {
    if (key == null) {
      throw new NullPointerException("a cache key must not be null");
    }
    if (key instanceof String s) {
      return s;
    }
    if (key instanceof Number
        || key instanceof UUID
        || key instanceof Enum<?>
        || key instanceof Boolean
        || key instanceof Character
        || key instanceof SimpleKey) {
      return key.toString();
    }
    if (hasOwnToString(key.getClass())) {
      return key.toString();
    }
    throw new IllegalArgumentException(
        "a cache key of type "
            + key.getClass().getName()
            + " has no stable name (its class keeps Object.toString, which differs on every"
            + " instance): give the class a toString, make it a record, or name the key in the"
            + " annotation, e.g. key = \"#order.id\"");
  }

  private static boolean hasOwnToString(Class<?> type) {
    try {
      return type.getMethod("toString").getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException impossible) {
      throw new AssertionError(impossible);
    }
  }
}
