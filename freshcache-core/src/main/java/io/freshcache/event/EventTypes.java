package io.freshcache.event;

import java.util.regex.Pattern;

/**
 * Event type names ({@code user.updated}) and subscriptions to them ({@code user.*}, {@code *}).
 */
public final class EventTypes {

  private static final Pattern SUBSCRIPTION =
      Pattern.compile("\\*|([A-Za-z0-9_-]+\\.)*([A-Za-z0-9_-]+|\\*)");

  private EventTypes() {}

  public static String requireValid(String type) {
    if (type == null) {
      throw new NullPointerException("event type must not be null");
    }
    if (!wellFormed(type)) {
      throw new IllegalArgumentException(
          "event type \""
              + type
              + "\" is not valid: use dot-separated words of letters, digits,"
              + " _ and -, e.g. user.updated");
    }
    return type;
  }

  public static String requireValidSubscription(String subscription) {
    if (subscription == null) {
      throw new NullPointerException("subscription must not be null");
    }
    if (subscription.length() > 200 || !SUBSCRIPTION.matcher(subscription).matches()) {
      throw new IllegalArgumentException(
          "subscription \""
              + subscription
              + "\" is not valid: use an event type (user.updated),"
              + " a prefix wildcard (product.*) or * for every event");
    }
    return subscription;
  }

  /**
   * At most 200 characters of dot-separated, non-empty words of letters, digits, {@code _} and
   * {@code -}. Checked by hand rather than by a regular expression: every event a bus delivers is
   * checked, on the delivering thread.
   */
  private static boolean wellFormed(String type) {
    int length = type.length();
    if (length == 0 || length > 200) {
      return false;
    }
    boolean inWord = false;
    for (int i = 0; i < length; i++) {
      char c = type.charAt(i);
      if (c == '.') {
        if (!inWord) {
          return false; // a leading dot, or two in a row
        }
        inWord = false;
      } else if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-') {
        inWord = true;
      } else {
        return false;
      }
    }
    return inWord; // not a trailing dot
  }

  /** {@code *} matches every type; {@code a.*} every type starting {@code a.}; else exact. */
  public static boolean matches(String subscription, String type) {
    if (subscription.equals("*")) {
      return true;
    }
    if (subscription.endsWith(".*")) {
      String prefix = subscription.substring(0, subscription.length() - 1);
      return type.startsWith(prefix);
    }
    return subscription.equals(type);
  }
}
