package io.freshcache.redis;

/**
 * Where an event published by a freshcache bus stands in its namespace's log, as the channel copy
 * carries it: the publish script inserts one field before the message's last character,
 *
 * <pre>{@code
 * ,"log":{"key":"<stream key>","seq":<n>,"id":"<entry id>"}
 * }</pre>
 *
 * <p>so a JSON event ({@code {...}}) stays a JSON object with one more top-level field, last, which
 * any JSON reader passes over. {@code seq} counts the namespace's events (the key {@code
 * <prefix>:{<namespace>}:seq}, incremented in the same script, so the numbers have no holes);
 * {@code id} is the event's entry in the stream {@code key}. A receiver removes the field again
 * ({@link #message}), so what it hands on is exactly what was published; and a subscriber that
 * checks signatures removes it first too (the signature is the field before it).
 *
 * @param key the stream the event was appended to
 * @param seq the event's number in that stream's sequence
 * @param id the event's entry in the stream
 * @param message the message as published, without the field
 */
record LogPosition(String key, long seq, String id, String message) {

  static final String FIELD = ",\"log\":{\"key\":\"";
  private static final String SEQ = "\",\"seq\":";
  private static final String ID = ",\"id\":\"";
  private static final String END = "\"}";

  /**
   * The Lua that turns {@code m} into the channel copy, given the stream key in {@code KEYS[1]} and
   * the script's locals {@code seq} and {@code id}: the field goes before the last UTF-8 character.
   */
  static final String SPLICE =
      "local n = #m "
          + "while n > 1 and string.byte(m, n) >= 128 and string.byte(m, n) < 192 do n = n - 1 end "
          + "m = string.sub(m, 1, n - 1) .. '"
          + FIELD
          + "' .. KEYS[1] .. '"
          + SEQ
          + "' .. seq .. '"
          + ID
          + "' .. id .. '"
          + END
          + "' .. string.sub(m, n) ";

  /** The position a channel message carries, with the message it was added to; null if none. */
  static LogPosition of(String text) {
    int at = text.lastIndexOf(FIELD);
    if (at < 0) {
      return null;
    }
    int keyStart = at + FIELD.length();
    int keyEnd = text.indexOf(SEQ, keyStart);
    if (keyEnd < 0 || text.indexOf('"', keyStart) != keyEnd) {
      return null;
    }
    int seqStart = keyEnd + SEQ.length();
    int seqEnd = digits(text, seqStart);
    if (seqEnd == seqStart || seqEnd - seqStart > 18 || !text.startsWith(ID, seqEnd)) {
      return null;
    }
    int idStart = seqEnd + ID.length();
    int dash = digits(text, idStart);
    if (dash == idStart || dash >= text.length() || text.charAt(dash) != '-') {
      return null;
    }
    int idEnd = digits(text, dash + 1);
    if (idEnd == dash + 1 || !text.startsWith(END, idEnd)) {
      return null;
    }
    int last = idEnd + END.length();
    if (last >= text.length()
        || last + Character.charCount(text.codePointAt(last)) != text.length()) {
      return null;
    }
    return new LogPosition(
        text.substring(keyStart, keyEnd),
        Long.parseLong(text, seqStart, seqEnd, 10),
        text.substring(idStart, idEnd),
        text.substring(0, at) + text.substring(last));
  }

  private static int digits(String text, int from) {
    int i = from;
    while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
      i++;
    }
    return i;
  }
}
