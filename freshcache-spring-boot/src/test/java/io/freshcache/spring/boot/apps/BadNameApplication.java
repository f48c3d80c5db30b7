package io.freshcache.spring.boot.apps;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Import;

/** An application whose annotation names a cache freshcache cannot take. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableCaching
@Import(BadNameApplication.Profiles.class)
public class BadNameApplication {

  /** Its cached service. */
  public static class Profiles {
    @Cacheable("user profiles")
    public String find(String id) {
      return id;
    }
  }
}
