package io.freshcache.spring.boot;

import io.freshcache.spring.FreshCacheConfigurationException;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Turns a failed freshcache start into one message: the property (or the annotation) that is wrong,
 * what is wrong with it, and the fix. Ahead of Boot's own analyzers, for {@code freshcache.*}
 * properties only.
 */
final class FreshCacheFailureAnalyzer implements FailureAnalyzer, Ordered {

  private static final List<String> TOP =
      List.of(
          "namespace",
          "allow-null-values",
          "dynamic",
          "trusted-packages",
          "strict",
          "status-interval");
  private static final List<String> REDIS =
      List.of(
          "uri", "shared-tier", "staleness-bound", "fail-fast", "key-prefix", "channel-delivery");
  private static final List<String> CACHE =
      List.of(
          "ttl",
          "jitter",
          "maximum-size",
          "refresh-ahead",
          "stale-while-revalidate",
          "stale-if-error",
          "null-ttl",
          "allow-null-values",
          "key-prefix",
          "value-type");

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public FailureAnalysis analyze(Throwable failure) {
    FreshCacheConfigurationException configuration =
        find(failure, FreshCacheConfigurationException.class);
    if (configuration != null) {
      String where = configuration.property() == null ? "" : configuration.property() + ": ";
      return new FailureAnalysis(
          where + configuration.problem() + ".", capitalise(configuration.fix()) + ".", failure);
    }
    BindException bind = find(failure, BindException.class);
    if (bind == null || !bind.getName().toString().startsWith("freshcache")) {
      return null;
    }
    UnboundConfigurationPropertiesException unbound =
        find(bind, UnboundConfigurationPropertiesException.class);
    if (unbound != null) {
      return unknown(unbound.getUnboundProperties(), failure);
    }
    ConfigurationProperty property = bind.getProperty();
    String name = property != null ? property.getName().toString() : bind.getName().toString();
    Object value = property != null ? property.getValue() : null;
    String type = bind.getTarget().getType().resolve(Object.class).getSimpleName();
    return new FailureAnalysis(
        name
            + ": \""
            + value
            + "\" cannot be read as a "
            + type
            + (property != null && property.getOrigin() != null
                ? " (set in " + property.getOrigin() + ")"
                : "")
            + ".",
        "Write it as a " + type + example(type) + ".",
        failure);
  }

  private static FailureAnalysis unknown(Set<ConfigurationProperty> properties, Throwable failure) {
    Set<String> names =
        properties.stream()
            .map(p -> p.getName().toString())
            .collect(Collectors.toCollection(TreeSet::new));
    String first = names.iterator().next();
    List<String> known = knownBeside(first);
    String last = first.substring(first.lastIndexOf('.') + 1);
    String nearest =
        known.stream().min(Comparator.comparingInt(k -> distance(k, last))).orElse(null);
    StringBuilder action = new StringBuilder("Remove it, or use one of: ");
    action.append(String.join(", ", known));
    if (nearest != null && distance(nearest, last) <= 3) {
      action.append(" (did you mean ").append(nearest).append("?)");
    }
    return new FailureAnalysis(
        String.join(", ", names)
            + (names.size() == 1
                ? " is not a freshcache property"
                : " are not freshcache properties")
            + origin(properties)
            + ".",
        action.append('.').toString(),
        failure);
  }

  private static String origin(Set<ConfigurationProperty> properties) {
    ConfigurationProperty p = properties.iterator().next();
    return p.getOrigin() == null ? "" : " (set in " + p.getOrigin() + ")";
  }

  /** The settings that may stand where {@code name} does. */
  private static List<String> knownBeside(String name) {
    String[] parts = name.split("\\.");
    if (parts.length >= 3 && parts[1].equals("redis")) {
      return REDIS;
    }
    if (parts.length >= 3 && parts[1].equals("defaults")) {
      return CACHE;
    }
    if (parts.length >= 4 && parts[1].equals("caches")) {
      return CACHE;
    }
    List<String> top = new java.util.ArrayList<>(TOP);
    top.addAll(List.of("redis.*", "defaults.*", "caches.<name>.*"));
    return top;
  }

  private static String example(String type) {
    return switch (type) {
      case "Duration" -> " such as 10m, 30s or 200ms";
      case "Double" -> " such as 0.2";
      case "Long", "Integer" -> " such as 10000";
      case "Boolean" -> ", true or false";
      case "Class" -> ", a fully qualified class name on the classpath";
      default -> "";
    };
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
