package io.freshcache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheGroup;
import io.freshcache.Tags;
import io.freshcache.spring.FreshCacheCustomizer;
import io.freshcache.spring.FreshCacheInvalidator;
import io.freshcache.spring.FreshCacheManager;
import io.freshcache.spring.boot.apps.GreetingApplication;
import io.freshcache.spring.boot.apps.OwnCacheManagerApplication;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.ConfigurableApplicationContext;

/** What the auto-configuration gives an application, in this process (no Redis). */
class AutoConfigurationTest {

  private static ConfigurableApplicationContext run(
      Class<?> application, Object[] beans, String... properties) {
    SpringApplicationBuilder builder =
        new SpringApplicationBuilder(application)
            .web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "spring.application.name=greeter")
            .properties(properties);
    if (beans.length > 0) {
      builder.initializers(
          context -> {
            for (Object bean : beans) {
              context.getBeanFactory().registerSingleton(bean.getClass().getName(), bean);
            }
          });
    }
    return builder.run();
  }

  @Test
  void freshcacheIsTheCacheManagerAndAnnotationsGoThroughIt() {
    try (var context = run(GreetingApplication.class, new Object[0])) {
      assertThat(context.getBean(CacheManager.class)).isInstanceOf(FreshCacheManager.class);
      assertThat(context.getBean(CacheGroup.class).name()).isEqualTo("greeter");
      assertThat(context.getBean(FreshCacheInvalidator.class)).isNotNull();
      GreetingApplication.Greeter greeter = context.getBean(GreetingApplication.Greeter.class);

      assertThat(greeter.greet("ada")).isEqualTo("hello ada");
      assertThat(greeter.greet("ada")).isEqualTo("hello ada");
      assertThat(greeter.calls()).isEqualTo(1);
      assertThat(context.getBean(FreshCacheManager.class).getCacheNames())
          .as("built at startup from the annotation")
          .contains("greetings");
    }
  }

  @Test
  void theStatusIntervalComesFromItsProperty() {
    try (var context =
        run(GreetingApplication.class, new Object[0], "freshcache.status-interval=750ms")) {
      assertThat(context.getBean(CacheGroup.class).status().interval())
          .isEqualTo(java.time.Duration.ofMillis(750));
    }
  }

  @Test
  void itBacksOffWhenTheApplicationHasItsOwnCacheManager() {
    try (var context = run(OwnCacheManagerApplication.class, new Object[0])) {
      assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
      assertThat(context.getBeansOfType(CacheGroup.class)).isEmpty();
      assertThat(context.getBeansOfType(FreshCacheManager.class)).isEmpty();
    }
  }

  @Test
  void propertiesThenCustomizersShapeEachCache() {
    FreshCacheCustomizer tags = spec -> spec.tags(String.class, greeting -> Tags.of("lang:en"));
    try (var context =
        run(
            GreetingApplication.class,
            new Object[] {tags},
            "freshcache.caches.greetings.ttl=10m",
            "freshcache.caches.greetings.maximum-size=100")) {
      FreshCacheManager manager = context.getBean(FreshCacheManager.class);
      GreetingApplication.Greeter greeter = context.getBean(GreetingApplication.Greeter.class);
      greeter.greet("ada");

      var entry =
          manager.getCache("greetings").getNativeCache().analytics().key("ada").orElseThrow();
      assertThat(entry.ttlRemaining()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10));

      context.getBean(FreshCacheInvalidator.class).invalidateTag("lang:en");
      greeter.greet("ada");
      assertThat(greeter.calls()).as("the tag from the customizer invalidated it").isEqualTo(2);
    }
  }

  @Test
  void cacheMetersComeThroughBootsCacheMetrics() {
    try (var context = run(GreetingApplication.class, new Object[0])) {
      GreetingApplication.Greeter greeter = context.getBean(GreetingApplication.Greeter.class);
      greeter.greet("ada");
      greeter.greet("ada");
      MeterRegistry registry = context.getBean(MeterRegistry.class);

      assertThat(
              registry
                  .get("cache.gets")
                  .tags("cache", "greetings", "result", "hit")
                  .functionCounter()
                  .count())
          .isEqualTo(1.0);
      assertThat(
              registry
                  .get("cache.gets")
                  .tags("cache", "greetings", "result", "miss")
                  .functionCounter()
                  .count())
          .isGreaterThanOrEqualTo(1.0);
      assertThat(registry.get("cache.puts").tags("cache", "greetings").functionCounter().count())
          .isEqualTo(1.0);
      assertThat(registry.find("freshcache.group.events").meters()).isNotEmpty();

      context.getBean(FreshCacheManager.class).getCache("late").put("k", "v");
      assertThat(registry.get("cache.puts").tags("cache", "late").functionCounter().count())
          .as("a cache built after startup gets its meters too")
          .isEqualTo(1.0);
    }
  }

  @Test
  void theEndpointShowsTheGroupAndEveryCache() {
    try (var context = run(GreetingApplication.class, new Object[0])) {
      context.getBean(GreetingApplication.Greeter.class).greet("ada");

      Map<String, Object> stats = context.getBean(FreshCacheEndpoint.class).stats();

      assertThat(stats).containsEntry("group", "greeter").containsKeys("instance", "bus", "caches");
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> caches =
          (Map<String, Map<String, Object>>) stats.get("caches");
      assertThat(caches.get("greetings")).containsEntry("size", 1L).containsEntry("puts", 1L);
    }
  }

  @Test
  void theInvalidateAnnotationInvalidatesItsTagsAfterTheMethod() {
    FreshCacheCustomizer tags = spec -> spec.tags(String.class, greeting -> Tags.of("lang:en"));
    try (var context = run(GreetingApplication.class, new Object[] {tags})) {
      GreetingApplication.Greeter greeter = context.getBean(GreetingApplication.Greeter.class);
      greeter.greet("ada");
      greeter.forget("fr");
      greeter.greet("ada");
      assertThat(greeter.calls()).as("another language's tag").isEqualTo(1);

      greeter.forget("en");
      greeter.greet("ada");
      assertThat(greeter.calls()).isEqualTo(2);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> greeter.broken(3))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "@Invalidate on Greeter.broken(): \"#count\" gave a java.lang.Integer, not a string"
                  + " or a collection of strings; write it as e.g. \"'category:' + #id\"");
    }
  }
}
