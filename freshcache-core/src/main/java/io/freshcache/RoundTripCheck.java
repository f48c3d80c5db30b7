package io.freshcache;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cache's value codec with the round-trip check ({@link ValueCodec}): the first value of each
 * class it encodes is also decoded, once, so that a class whose values encode but cannot be read
 * back is found where it is first shared, not on every other instance's every miss.
 *
 * <p>Checked per value class rather than once per codec, because a polymorphic value type may have
 * subclasses that decode and others that do not; a class's verdict is kept for the life of the
 * cache, so a known class costs one map lookup. Thread-safe; two threads encoding the first values
 * of a class at once may both decode theirs, and one of them is told it is the first.
 */
final class RoundTripCheck<V> {

  private static final String DECODES = "";

  private final ValueCodec<V> codec;

  /** Per class seen: {@link #DECODES}, or why its values do not decode. */
  private final Map<Class<?>, String> verdicts = new ConcurrentHashMap<>();

  RoundTripCheck(ValueCodec<V> codec) {
    this.codec = codec;
  }

  /**
   * The value's bytes.
   *
   * @throws Undecodable if values of its class encode but do not decode
   * @throws RuntimeException whatever the codec throws when it cannot encode the value
   */
  byte[] encode(V value) {
    byte[] bytes = codec.encode(value);
    Class<?> type = value.getClass();
    String verdict = verdicts.get(type);
    if (verdict == null) {
      String reason = decodeFailure(bytes);
      verdict = verdicts.putIfAbsent(type, reason);
      if (verdict == null) {
        if (reason.equals(DECODES)) {
          return bytes;
        }
        throw new Undecodable(type, reason, true);
      }
    }
    if (verdict.equals(DECODES)) {
      return bytes;
    }
    throw new Undecodable(type, verdict, false);
  }

  /** The codec's bytes decoded as a shared hit would be. */
  V decode(byte[] bytes) {
    V value = codec.decode(bytes);
    if (value == null) {
      throw new IllegalArgumentException("the codec decoded null");
    }
    return value;
  }

  /** What to do about a class whose values do not decode. */
  String fix() {
    return codec instanceof JsonValues
        ? "add a @JsonCreator constructor, or set .valueCodec(...)"
        : "make " + codec + " decode what it encodes, or set another .valueCodec(...)";
  }

  @Override
  public String toString() {
    return String.valueOf(codec);
  }

  /** Why {@code bytes} do not decode, on one line, or {@link #DECODES}. */
  private String decodeFailure(byte[] bytes) {
    try {
      decode(bytes);
      return DECODES;
    } catch (RuntimeException e) {
      return firstLine(e);
    }
  }

  static String firstLine(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.toString() : message.lines().findFirst().get();
  }

  /** Values of {@code type} encode but do not decode; no stack trace (it is a verdict). */
  static final class Undecodable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final transient Class<?> type;
    final String reason;

    /** Whether this is the first time the class is found undecodable (to be reported loudly). */
    final boolean first;

    Undecodable(Class<?> type, String reason, boolean first) {
      super(type.getName() + " does not decode: " + reason, null, false, false);
      this.type = type;
      this.reason = reason;
      this.first = first;
    }
  }
}
