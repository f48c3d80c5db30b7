package io.freshcache.event;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secrets a group signs its bus events with, and accepts signed events under. Only an event
 * signed with one of these keys may write values or versions into this instance's caches; any other
 * event can only invalidate (see {@link io.freshcache.CacheGroupBuilder#eventKeys}).
 *
 * <pre>{@code
 * EventKeys keys = EventKeys.signingWith("2024-06", secret);                 // one key
 * EventKeys rolling = EventKeys.signingWith("2024-07", next)                 // a rollover:
 *     .alsoAccepting("2024-06", secret);                                       // old still accepted
 * }</pre>
 *
 * <p>The signature is the event's JSON text {@code J} (an object, ending in {@code }}) with one
 * last field appended: {@code J} without its closing brace, then {@code ,"sig":"<keyId>:<hex>"}}
 * where {@code hex} is the lowercase HMAC-SHA256 of {@code J} (UTF-8) under the key's secret.
 * SECURITY.md shows it in a few lines of Python and shell.
 *
 * <p>Immutable and thread-safe; the secrets are copied in. Give every instance of a group the same
 * keys.
 */
public final class EventKeys {

  /** The shortest secret accepted, in bytes. */
  public static final int MIN_SECRET_BYTES = 16;

  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,32}");

  /** The signature field as the very end of a message: key id and 64 lowercase hex digits. */
  private static final Pattern TRAILER =
      Pattern.compile(",\"sig\":\"([A-Za-z0-9._-]{1,32}):([0-9a-f]{64})\"}$");

  private static final String FIELD = ",\"sig\":\"";

  private final String signingId;
  private final Map<String, byte[]> secrets;

  private EventKeys(String signingId, Map<String, byte[]> secrets) {
    this.signingId = signingId;
    this.secrets = secrets;
  }

  /**
   * Keys that sign every event with {@code secret} under {@code keyId}, and accept events signed
   * so.
   *
   * @param keyId 1 to 32 letters, digits and {@code . _ -}; carried in every signed message
   * @param secret at least {@link #MIN_SECRET_BYTES} bytes (32 random bytes recommended)
   * @throws IllegalArgumentException if the key id or the secret is not valid
   */
  public static EventKeys signingWith(String keyId, byte[] secret) {
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    secrets.put(checkedId(keyId), checkedSecret(keyId, secret));
    return new EventKeys(keyId, secrets);
  }

  /**
   * These keys, also accepting events signed with {@code secret} under {@code keyId}: during a
   * rollover, sign with the new key and accept the old one until every publisher has moved.
   *
   * @throws IllegalArgumentException if the key id or the secret is not valid, or the key id is
   *     already used
   */
  public EventKeys alsoAccepting(String keyId, byte[] secret) {
    checkedId(keyId);
    if (secrets.containsKey(keyId)) {
      throw new IllegalArgumentException(
          "key id \"" + keyId + "\" is already one of these keys: give each secret its own id");
    }
    Map<String, byte[]> more = new LinkedHashMap<>(secrets);
    more.put(keyId, checkedSecret(keyId, secret));
    return new EventKeys(signingId, more);
  }

  /** The id of the key that signs. */
  public String signingKeyId() {
    return signingId;
  }

  /** The message {@code json} (a JSON object's text) with its signature field appended. */
  public String sign(String json) {
    if (!json.endsWith("}")) {
      throw new IllegalArgumentException("only a JSON object's text can be signed");
    }
    return json.substring(0, json.length() - 1)
        + FIELD
        + signingId
        + ":"
        + HexFormat.of().formatHex(hmac(secrets.get(signingId), json))
        + "\"}";
  }

  /**
   * A message's signature, if it ends with one in the recipe's exact shape: the unsigned text, the
   * key id and the claimed HMAC. Null if it does not.
   */
  public static Signed split(String message) {
    int at = message.lastIndexOf(FIELD);
    if (at < 0) {
      return null;
    }
    Matcher m = TRAILER.matcher(message).region(at, message.length());
    if (!m.matches()) {
      return null;
    }
    return new Signed(message.substring(0, at) + "}", m.group(1), m.group(2));
  }

  /** Whether {@code signed} carries a valid HMAC under one of these keys. Constant-time compare. */
  public boolean verify(Signed signed) {
    byte[] secret = secrets.get(signed.keyId());
    if (secret == null) {
      return false;
    }
    byte[] claimed = HexFormat.of().parseHex(signed.hex());
    return MessageDigest.isEqual(hmac(secret, signed.text()), claimed);
  }

  /** A message split at its signature: the text it signs, the key id, the HMAC in hex. */
  public record Signed(String text, String keyId, String hex) {}

  private static byte[] hmac(byte[] secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM offers no HmacSHA256", e);
    }
  }

  private static String checkedId(String keyId) {
    Objects.requireNonNull(keyId, "keyId must not be null");
    if (!KEY_ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException(
          "key id \"" + keyId + "\" is not valid: use 1 to 32 letters, digits and . _ -");
    }
    return keyId;
  }

  private static byte[] checkedSecret(String keyId, byte[] secret) {
    Objects.requireNonNull(secret, "secret must not be null");
    if (secret.length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "the secret of key \""
              + keyId
              + "\" has "
              + secret.length
              + " bytes: use at least "
              + MIN_SECRET_BYTES
              + " (32 random bytes recommended)");
    }
    return secret.clone();
  }

  @Override
  public String toString() {
    return "EventKeys[signing " + signingId + ", accepting " + secrets.keySet() + "]";
  }
}
