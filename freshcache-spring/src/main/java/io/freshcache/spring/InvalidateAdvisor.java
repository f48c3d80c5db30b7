package io.freshcache.spring;

import io.freshcache.event.Invalidation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * Applies {@link Invalidate} through a {@link FreshCacheInvalidator}: after the method returns, and
 * after the commit inside a transaction. An expression that gives null or something other than
 * strings fails the call with a message naming the method and the expression. Thread-safe.
 */
public final class InvalidateAdvisor extends AbstractPointcutAdvisor {

  private static final long serialVersionUID = 1L;

  private final transient Supplier<FreshCacheInvalidator> invalidator;
  private final transient Pointcut pointcut =
      new AnnotationMatchingPointcut(null, Invalidate.class, true);
  private final transient SpelExpressionParser parser = new SpelExpressionParser();
  private final transient ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
  private final transient Map<String, Expression> expressions = new ConcurrentHashMap<>();

  /**
   * @param invalidator asked for the invalidator at each annotated call, so that an advisor, which
   *     Spring creates early, need not create the group early
   */
  public InvalidateAdvisor(Supplier<FreshCacheInvalidator> invalidator) {
    this.invalidator = Objects.requireNonNull(invalidator, "invalidator must not be null");
  }

  @Override
  public Pointcut getPointcut() {
    return pointcut;
  }

  @Override
  public Advice getAdvice() {
    return (MethodInterceptor) this::invoke;
  }

  private Object invoke(MethodInvocation invocation) throws Throwable {
    Object result = invocation.proceed();
    Class<?> target =
        invocation.getThis() == null
            ? invocation.getMethod().getDeclaringClass()
            : AopUtils.getTargetClass(invocation.getThis());
    Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), target);
    Invalidate spec = AnnotatedElementUtils.findMergedAnnotation(method, Invalidate.class);
    if (spec == null) {
      return result;
    }
    MethodBasedEvaluationContext context =
        new MethodBasedEvaluationContext(
            invocation.getThis(), method, invocation.getArguments(), names);
    context.setVariable("result", result);
    FreshCacheInvalidator invalidator = this.invalidator.get();
    List<String> tags = evaluate(spec.tags(), context, method);
    if (!tags.isEmpty()) {
      invalidator.invalidate(Invalidation.tags(tags.toArray(String[]::new)));
    }
    for (String glob : evaluate(spec.patterns(), context, method)) {
      invalidator.invalidatePattern(glob);
    }
    List<String> cascade = evaluate(spec.cascade(), context, method);
    if (!cascade.isEmpty()) {
      invalidator.invalidateCascade(cascade.toArray(String[]::new));
    }
    return result;
  }

  private List<String> evaluate(
      String[] sources, MethodBasedEvaluationContext context, Method method) {
    List<String> values = new ArrayList<>();
    for (String source : sources) {
      Object value = expressions.computeIfAbsent(source, parser::parseExpression).getValue(context);
      if (value instanceof String s) {
        values.add(s);
      } else if (value instanceof Collection<?> many
          && many.stream().allMatch(String.class::isInstance)) {
        many.forEach(v -> values.add((String) v));
      } else {
        throw new IllegalArgumentException(
            "@Invalidate on "
                + method.getDeclaringClass().getSimpleName()
                + "."
                + method.getName()
                + "(): \""
                + source
                + "\" gave "
                + (value == null ? "null" : "a " + value.getClass().getName())
                + ", not a string or a collection of strings; write it as e.g. \"'category:' +"
                + " #id\"");
      }
    }
    return values;
  }
}
