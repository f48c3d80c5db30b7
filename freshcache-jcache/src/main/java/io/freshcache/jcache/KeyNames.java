package io.freshcache.jcache;

import io.freshcache.event.Names;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Names JCache keys and caches in the group, the same way on every instance, so that an
 * invalidation sent for a key by one instance finds the key on the others.
 *
 * <p>In a cache whose key type is {@code String}, {@code Long}, {@code Integer} or {@code UUID} a
 * key is named by its plain text form ({@code user:7}, {@code 42}), which is also what {@code
 * freshcache invalidate --key} takes. In a cache of any other key type each name says what kind of
 * key it is ({@code ~s:} a string, {@code ~l:} a long, {@code ~i:} an integer, {@code ~u:} a UUID,
 * {@code ~o:} any other key by its Java serialized form, {@code ~x:} one that is not serializable
 * by its class and hash code), so that {@code "42"} and {@code 42L} stay two keys. A name that
 * would be empty or too long is replaced by a digest of the key ({@code ~h:}).
 */
final class KeyNames {

  /** Longer names are digested; well below the group's limit, so a key prefix still fits. */
  private static final int LONGEST = 512;

  private final boolean plain;

  KeyNames(Class<?> keyType) {
    this.plain =
        keyType == String.class
            || keyType == Long.class
            || keyType == Integer.class
            || keyType == UUID.class;
  }

  String name(Object key) {
    if (plain) {
      String text = key.toString();
      return fits(text) && !text.startsWith("~") ? text : digest("s", text);
    }
    if (key instanceof String s) {
      return tagged("s", s);
    }
    if (key instanceof Long l) {
      return "~l:" + l;
    }
    if (key instanceof Integer i) {
      return "~i:" + i;
    }
    if (key instanceof UUID u) {
      return "~u:" + u;
    }
    byte[] form = serialized(key);
    if (form == null) {
      // Not serializable: named by class and hash code. Two such keys with one name share the
      // name's token, so a change to one costs the other a miss; it never serves a wrong value.
      return tagged("x", key.getClass().getName() + "#" + Integer.toHexString(key.hashCode()));
    }
    return tagged("o", Base64.getUrlEncoder().withoutPadding().encodeToString(form));
  }

  /** The freshcache name of a JCache cache: the name itself if it is a valid one, else a digest. */
  static String cacheName(String jcacheName) {
    return Names.isName(jcacheName) ? jcacheName : "jcache-" + sha256(jcacheName).substring(0, 40);
  }

  private static boolean fits(String text) {
    return !text.isEmpty() && text.length() <= LONGEST;
  }

  private static String tagged(String tag, String text) {
    String name = "~" + tag + ":" + text;
    return name.length() <= LONGEST ? name : digest(tag, text);
  }

  private static String digest(String tag, String text) {
    return "~h:" + sha256(tag + ":" + text);
  }

  private static byte[] serialized(Object key) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(key);
    } catch (IOException notSerializable) {
      return null;
    }
    return bytes.toByteArray();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
