package io.freshcache.spring;

import java.util.Objects;

/**
 * A setting that cannot work, found while the caches are set up: what is wrong, where it was set (a
 * property name, when it came from one) and how to fix it. Spring Boot reports it at startup as one
 * message.
 */
public final class FreshCacheConfigurationException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String property;
  private final String problem;
  private final String fix;

  /**
   * @param property the property that holds the bad value, e.g. {@code
   *     freshcache.caches.users.ttl}, or null when it was not set through a property
   * @param problem what is wrong, as one sentence without a final period
   * @param fix what to do instead
   */
  public FreshCacheConfigurationException(String property, String problem, String fix) {
    this(property, problem, fix, null);
  }

  /** As {@link #FreshCacheConfigurationException(String, String, String)}, with its cause. */
  public FreshCacheConfigurationException(
      String property, String problem, String fix, Throwable cause) {
    super(
        (property == null ? "" : property + ": ")
            + Objects.requireNonNull(problem, "problem")
            + "; "
            + Objects.requireNonNull(fix, "fix"),
        cause);
    this.property = property;
    this.problem = problem;
    this.fix = fix;
  }

  /** The property that holds the bad value, or null. */
  public String property() {
    return property;
  }

  /** What is wrong. */
  public String problem() {
    return problem;
  }

  /** What to do instead. */
  public String fix() {
    return fix;
  }
}
