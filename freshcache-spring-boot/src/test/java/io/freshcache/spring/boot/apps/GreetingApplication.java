package io.freshcache.spring.boot.apps;

import io.freshcache.spring.Invalidate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** A small cached application without a database, for the configuration tests. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableCaching
@Import(GreetingApplication.Greeter.class)
public class GreetingApplication {

  @Bean
  MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }

  /** Greets, counting how often it really had to. */
  public static class Greeter {
    private final AtomicInteger calls = new AtomicInteger();

    /** How often greet ran (not served from the cache). */
    public int calls() {
      return calls.get();
    }

    @Cacheable("greetings")
    public String greet(String name) {
      calls.incrementAndGet();
      return "hello " + name;
    }

    /** Forgets every greeting tagged with the language. */
    @Invalidate(tags = "'lang:' + #lang")
    public void forget(String lang) {}

    /** An expression that gives no string. */
    @Invalidate(tags = "#count")
    public void broken(int count) {}
  }
}
