package io.freshcache.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How an entry's version and tags are written in its hash, so that the Lua scripts can read them:
 *
 * <ul>
 *   <li>{@code ver}: the version as 16 hex digits with the sign bit flipped, so that the scripts
 *       compare any two {@code long}s exactly (Lua numbers are doubles, exact only to 2^53);
 *   <li>{@code tags} and {@code tv}: lists as {@code <byte length>:<bytes>} one after the other
 *       (binary-safe, parsed in Lua with a find and a sub per item).
 * </ul>
 */
final class EntryFields {

  private EntryFields() {}

  static byte[] version(long version) {
    return String.format("%016x", version ^ Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
  }

  static long version(byte[] field) {
    return Long.parseUnsignedLong(new String(field, StandardCharsets.US_ASCII), 16)
        ^ Long.MIN_VALUE;
  }

  /** {@link #version(byte[])} read from a reply's bytes, without copying them. */
  static long version(ByteBuffer field) {
    if (field.remaining() != 16) {
      throw new IllegalArgumentException(
          "a version field holds 16 hex digits, not " + field.remaining() + " bytes");
    }
    long unsigned = 0;
    for (int i = field.position(); i < field.limit(); i++) {
      int digit = Character.digit(field.get(i), 16);
      if (digit < 0) {
        throw new IllegalArgumentException("a version field holds hex digits only");
      }
      unsigned = (unsigned << 4) | digit;
    }
    return unsigned ^ Long.MIN_VALUE;
  }

  static byte[] list(List<String> items) {
    StringBuilder out = new StringBuilder();
    for (String item : items) {
      out.append(item.getBytes(StandardCharsets.UTF_8).length).append(':').append(item);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  static List<String> list(byte[] field) {
    List<String> items = new ArrayList<>();
    int i = 0;
    while (i < field.length) {
      int colon = i;
      while (field[colon] != ':') {
        colon++;
      }
      int length = Integer.parseInt(new String(field, i, colon - i, StandardCharsets.US_ASCII));
      items.add(new String(field, colon + 1, length, StandardCharsets.UTF_8));
      i = colon + 1 + length;
    }
    return items;
  }
}
