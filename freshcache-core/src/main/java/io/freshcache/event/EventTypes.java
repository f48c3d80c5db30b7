package io.freshcache.event;

import java.util.regex.Pattern;

/**
 * Event type names ({@code user.updated}) and subscriptions to them ({@code user.*}, {@code *}).
 */
public final class EventTypes {

  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
  private static final Pattern SUBSCRIPTION =
      Pattern.compile("\\*|([A-Za-z0-9_-]+\\.)*([A-Za-z0-9_-]+|\\*)");

  private EventTypes() {}

  public static String requireValid(String type) {
    if (type == null) {
      throw new NullPointerException("event type must not be null");
    }
    if (type.length() > 200 || !TYPE.matcher(type).matches()) {
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
