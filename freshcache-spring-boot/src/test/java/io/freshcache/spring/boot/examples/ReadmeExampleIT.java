package io.freshcache.spring.boot.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.spring.boot.ShopFleet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The README's "With Spring Boot": its properties (checked to be the README's, word for word), its
 * annotated service and customizer, on the embedded H2 database and the real Redis, in a namespace
 * of this test's own.
 */
class ReadmeExampleIT {

  private static final String PROPERTIES = "/readme/application.properties";

  private static String text() throws IOException {
    try (InputStream in = ReadmeExampleIT.class.getResourceAsStream(PROPERTIES)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theReadmeShowsTheseProperties() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertThat(readme).contains("```properties\n" + text() + "```");
  }

  @Test
  void theReadmeExampleRunsAsWritten() throws IOException {
    Properties properties = new Properties();
    properties.load(new java.io.StringReader(text()));
    String namespace = "fcreadme-" + System.nanoTime();
    try (var context =
        new SpringApplicationBuilder(ShopExample.class)
            .web(WebApplicationType.NONE)
            .properties(properties)
            .properties(
                "spring.main.banner-mode=off",
                "freshcache.redis.uri="
                    + System.getProperty("freshcache.redis.uri", "redis://127.0.0.1:6379"),
                "freshcache.namespace=" + namespace,
                "freshcache.redis.channel-delivery=false", // deaf to other tests' plain events
                "spring.datasource.url=jdbc:h2:mem:" + namespace)
            .run()) {
      ProductRepository repository = context.getBean(ProductRepository.class);
      ProductService service = context.getBean(ProductService.class);
      repository.insert(new Product(1, "kettle", 7));
      repository.insert(new Product(2, "toaster", 7));

      io.freshcache.CacheGroup group = context.getBean(io.freshcache.CacheGroup.class);
      long disturbed = disturbances(group);
      assertThat(service.find(1)).isEqualTo(new Product(1, "kettle", 7));
      assertThat(service.find(1)).isEqualTo(new Product(1, "kettle", 7));
      assertThat(service.find(99)).isNull();
      assertThat(service.find(99)).isNull();
      if (disturbances(group)
          == disturbed) { // other tests on this Redis may cut it: reads then go to the database
        assertThat(repository.reads()).as("a hit and a cached 'not found'").isEqualTo(2);
      }

      service.rename(new Product(1, "kettle 2", 7));
      assertThat(service.find(1).name()).isEqualTo("kettle 2");

      service.find(2);
      service.discontinue(7);
      assertThat(service.find(1)).isNull();
      assertThat(service.find(2)).isNull();
    } finally {
      ShopFleet.deleteNamespace(namespace);
    }
  }

  private static long disturbances(io.freshcache.CacheGroup group) {
    io.freshcache.stats.GroupStats g = group.stats();
    return g.losses() + g.suspensions() + g.sharedFailures() + g.sharedSkipped();
  }
}
