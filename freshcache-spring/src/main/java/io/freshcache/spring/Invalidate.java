package io.freshcache.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Invalidates by tag, pattern or cascade once the annotated method returns (not if it throws), in
 * every cache of the group and on every instance; inside a transaction, after its commit. Each
 * value is a SpEL expression over the method's arguments ({@code #id}, {@code #p0}) and its result
 * ({@code #result}), giving a string or a collection of strings:
 *
 * <pre>{@code
 * @Transactional
 * @Invalidate(tags = "'category:' + #categoryId")
 * public void discontinue(long categoryId) { ... }
 *
 * @Invalidate(cascade = "'users:' + #user.id")   // the user and everything derived from it
 * public void update(User user) { ... }
 * }</pre>
 *
 * <p>Needs the bean {@link InvalidateAdvisor} (the Spring Boot auto-configuration registers it).
 * Keys are named as the group names them ({@code users:42}, see {@link FreshCacheManager#keyName}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Invalidate {

  /** Tags whose entries are invalidated. */
  String[] tags() default {};

  /** Globs of key names to invalidate, e.g. {@code "'category:' + #id + ':products:*'"}. */
  String[] patterns() default {};

  /** Key names to invalidate with everything derived from them, transitively. */
  String[] cascade() default {};
}
