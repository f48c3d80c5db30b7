package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.event.EventKeys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 against real Redis: anyone who may PUBLISH sends an update with a forged value and a huge
 * version. Every instance keeps serving the source's value, and the application's next version is
 * accepted. A publisher outside Java (openssl and redis-cli) that signs by the recipe is applied;
 * its message with one byte changed is refused.
 */
class ForgedUpdateIT {

  record Product(String name, double price, long version) {}

  private static final String SECRET = "a fleet secret of 32 bytes, ok!!";
  private static final EventKeys KEYS =
      EventKeys.signingWith("fleet-1", SECRET.getBytes(StandardCharsets.UTF_8));

  private final String namespace = "forged-" + System.nanoTime();
  private final Map<Long, Product> table = new ConcurrentHashMap<>();
  private final List<RedisBus> buses = new ArrayList<>();
  private final List<CacheGroup> groups = new ArrayList<>();
  private final List<FreshCache<Long, Product>> fleet = new ArrayList<>();
  private RedisClient plain;
  private StatefulRedisConnection<String, String> publisher;

  @BeforeEach
  void start() {
    table.put(42L, new Product("widget", 30.00, 5));
    for (int i = 0; i < 2; i++) {
      RedisBus bus = RedisBus.builder(RedisTestSupport.URI, namespace).keyPrefix("fctest").build();
      buses.add(bus);
      CacheGroup group = CacheGroup.builder(namespace).bus(bus).eventKeys(KEYS).build();
      groups.add(group);
      fleet.add(
          group
              .cache("products", Long.class, Product.class)
              .keyPrefix("product:")
              .source(table::get)
              .version(Product::version)
              .build());
    }
    plain = RedisTestSupport.plainClient(RedisTestSupport.URI);
    publisher = plain.connect();
  }

  @AfterEach
  void stop() {
    groups.forEach(CacheGroup::close);
    List<String> streams = buses.stream().map(RedisBus::streamKey).toList();
    buses.forEach(RedisBus::close);
    publisher.sync().del(streams.toArray(String[]::new));
    publisher.close();
    plain.shutdown();
  }

  private String update(double price, long version) {
    return "{\"type\":\"product.price_changed\",\"timestamp\":1.5,\"namespace\":\""
        + namespace
        + "\",\"payload\":{\"type\":\"update\",\"keys\":[\"product:42\"],\"values\":"
        + "{\"product:42\":{\"name\":\"widget\",\"price\":"
        + price
        + ",\"version\":"
        + version
        + "}},\"version\":"
        + version
        + "}}";
  }

  private static void eventually(Runnable assertion) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .ignoreExceptions()
        .untilAsserted(assertion::run);
  }

  @Test
  void aPlainPublishOfAForgedUpdateOnlyInvalidatesAndTheNextVersionIsAccepted() {
    fleet.forEach(products -> assertThat(products.get(42L).price()).isEqualTo(30.00));

    publisher.sync().publish("cache:invalidation:product.price_changed", update(0.01, 999999));

    for (int i = 0; i < fleet.size(); i++) {
      CacheGroup group = groups.get(i);
      eventually(() -> assertThat(group.stats().downgraded()).isEqualTo(1));
      assertThat(fleet.get(i).get(42L).price()).isEqualTo(30.00);
    }
    table.put(42L, new Product("widget", 31.00, 6));
    fleet.get(0).put(42L, table.get(42L)); // no VersionConflictException
    FreshCache<Long, Product> other = fleet.get(1);
    eventually(() -> assertThat(other.get(42L).price()).isEqualTo(31.00));
  }

  @Test
  void anUpdateSignedByAShellPublisherIsAppliedAndOneByteChangedIsForged() throws Exception {
    fleet.forEach(products -> products.get(42L));

    String sent = publishSigned(update(25.0, 7));

    for (FreshCache<Long, Product> products : fleet) {
      eventually(
          () -> assertThat(products.getIfPresent(42L)).isEqualTo(new Product("widget", 25.0, 7)));
    }
    String tampered = sent.replace("25.0", "15.0");
    assertThat(tampered).hasSameSizeAs(sent).isNotEqualTo(sent);
    publisher.sync().publish("cache:invalidation:product.price_changed", tampered);
    for (int i = 0; i < fleet.size(); i++) {
      CacheGroup group = groups.get(i);
      eventually(() -> assertThat(group.stats().forged()).isEqualTo(1));
      assertThat(fleet.get(i).getIfPresent(42L)).isEqualTo(new Product("widget", 25.0, 7));
      assertThat(group.stats().downgraded()).isZero();
    }
  }

  /** Runs the test resources' shell publisher; returns the message it sent. */
  private static String publishSigned(String json) throws IOException, InterruptedException {
    Path script;
    try {
      script = Path.of(ForgedUpdateIT.class.getResource("/publish-signed.sh").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Process process =
        new ProcessBuilder(
                "sh",
                script.toString(),
                RedisTestSupport.URI,
                KEYS.signingKeyId(),
                SECRET,
                "product.price_changed",
                json)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    return out.strip();
  }
}
