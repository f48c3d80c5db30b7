package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.freshcache.event.EventKeys;
import io.freshcache.event.Invalidation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: anyone who may publish on the bus could write values and versions into every instance.
 * Now only events signed with the group's {@link EventKeys} may; others only invalidate.
 */
class SignedEventsTest {

  record Product(String name, double price, long version) {}

  private static final byte[] OLD = "old secret, sixteen bytes+".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NEW = "new secret, sixteen bytes+".getBytes(StandardCharsets.UTF_8);

  private final Map<Long, Product> table = new ConcurrentHashMap<>();
  private final AtomicInteger loads = new AtomicInteger();
  private final InProcessBus bus = new InProcessBus();
  private final List<CacheGroup> groups = new java.util.ArrayList<>();

  /** What a plain publisher would send: the poisoning update of issue 8. */
  private static final String POISON =
      "{\"type\":\"product.price_changed\",\"timestamp\":1.5,\"payload\":{\"type\":\"update\","
          + "\"keys\":[\"product:42\"],\"values\":{\"product:42\":{\"name\":\"widget\","
          + "\"price\":0.01,\"version\":999999}},\"version\":999999}}";

  private static String update(double price, long version) {
    return POISON.replace("0.01", String.valueOf(price)).replace("999999", String.valueOf(version));
  }

  @AfterEach
  void close() {
    groups.forEach(CacheGroup::close);
    bus.close();
  }

  private FreshCache<Long, Product> instance(EventKeys keys, long maxStep) {
    CacheGroupBuilder builder = CacheGroup.builder("shop").bus(bus);
    if (keys != null) {
      builder.eventKeys(keys);
    }
    if (maxStep > 0) {
      builder.maxVersionStep(maxStep);
    }
    CacheGroup group = builder.build();
    groups.add(group);
    return group
        .cache("products", Long.class, Product.class)
        .keyPrefix("product:")
        .source(
            id -> {
              loads.incrementAndGet();
              return table.get(id);
            })
        .version(Product::version)
        .build();
  }

  private FreshCache<Long, Product> instance(EventKeys keys) {
    return instance(keys, 0);
  }

  @Test
  void anUnsignedUpdateOnlyInvalidatesAndTheApplicationsNextVersionIsAccepted() {
    table.put(42L, new Product("widget", 30.00, 5));
    FreshCache<Long, Product> products = instance(EventKeys.signingWith("k1", NEW));
    assertThat(products.get(42L).price()).isEqualTo(30.00);

    bus.publish("product.price_changed", POISON);

    assertThat(products.getIfPresent(42L)).isNull(); // invalidated, not replaced
    assertThat(products.get(42L).price()).isEqualTo(30.00); // reloaded from the source
    assertThat(loads).hasValue(2);
    assertThat(products.group().stats().downgraded()).isEqualTo(1);
    assertThat(products.group().stats().forged()).isZero();
    products.put(42L, new Product("widget", 31.00, 6)); // no VersionConflictException
    assertThat(products.getIfPresent(42L).price()).isEqualTo(31.00);
  }

  @Test
  void aGroupWithoutKeysNeverTakesValuesOrVersionsFromTheBus() {
    table.put(42L, new Product("widget", 30.00, 5));
    FreshCache<Long, Product> products = instance(null);
    products.get(42L);

    bus.publish("product.price_changed", POISON);
    bus.publish(
        "product.price_changed",
        "{\"type\":\"x.y\",\"payload\":{\"type\":\"delete\",\"keys\":[\"product:42\"],"
            + "\"version\":999999}}");

    assertThat(products.get(42L).price()).isEqualTo(30.00);
    assertThat(products.group().stats().downgraded()).isEqualTo(2);
    products.put(42L, new Product("widget", 31.00, 6));
  }

  @Test
  void anUpdateWithoutValuesOrVersionIsNotCountedAsDowngraded() {
    table.put(42L, new Product("widget", 30.00, 5));
    FreshCache<Long, Product> products = instance(null);
    products.get(42L);
    bus.publish(
        "x.y", "{\"type\":\"x.y\",\"payload\":{\"type\":\"update\",\"keys\":[\"product:42\"]}}");
    assertThat(products.getIfPresent(42L)).isNull();
    assertThat(products.group().stats().downgraded()).isZero();
  }

  @Test
  void aSignedUpdateFromAnotherInstanceIsApplied() {
    table.put(42L, new Product("widget", 30.00, 5));
    EventKeys keys = EventKeys.signingWith("k1", NEW);
    FreshCache<Long, Product> writer = instance(keys);
    FreshCache<Long, Product> reader = instance(keys);
    reader.get(42L);
    int before = loads.get();

    writer
        .group()
        .publish(
            "product.price_changed",
            new Invalidation.Update(
                null,
                List.of("product:42"),
                Map.of("product:42", Map.of("name", "widget", "price", 25.0, "version", 6)),
                OptionalLong.of(6)),
            Map.of());

    assertThat(reader.getIfPresent(42L)).isEqualTo(new Product("widget", 25.0, 6));
    assertThat(loads).hasValue(before);
    assertThat(reader.group().stats().downgraded()).isZero();
    assertThat(reader.group().stats().forged()).isZero();
  }

  @Test
  void aRawMessageSignedByTheRecipeIsApplied() throws Exception {
    table.put(42L, new Product("widget", 30.00, 5));
    FreshCache<Long, Product> products = instance(EventKeys.signingWith("k1", NEW));
    products.get(42L);
    String json = update(25.0, 6);
    // The recipe, as a non-Java publisher writes it.
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(NEW, "HmacSHA256"));
    String hex =
        java.util.HexFormat.of().formatHex(mac.doFinal(json.getBytes(StandardCharsets.UTF_8)));
    String signed = json.substring(0, json.length() - 1) + ",\"sig\":\"k1:" + hex + "\"}";
    assertThat(signed).isEqualTo(EventKeys.signingWith("k1", NEW).sign(json));

    bus.publish("product.price_changed", signed);

    assertThat(products.getIfPresent(42L)).isEqualTo(new Product("widget", 25.0, 6));
  }

  @Test
  void aTamperedSignedMessageIsForgedAndChangesNothing() {
    table.put(42L, new Product("widget", 30.00, 5));
    EventKeys keys = EventKeys.signingWith("k1", NEW);
    FreshCache<Long, Product> products = instance(keys);
    products.get(42L);
    String signed = keys.sign(update(25.0, 6));
    String tampered = signed.replace("25.0", "15.0"); // one byte changed

    bus.publish("product.price_changed", tampered);
    bus.publish("product.price_changed", signed.replace("k1:", "k9:")); // unknown key id
    String json = update(25.0, 6);
    bus.publish(
        "product.price_changed",
        json.substring(0, json.length() - 1) + ",\"sig\":\"nonsense\"}"); // not the shape

    assertThat(products.getIfPresent(42L)).isEqualTo(new Product("widget", 30.00, 5));
    assertThat(loads).hasValue(1);
    assertThat(products.group().stats().forged()).isEqualTo(3);
    assertThat(products.group().stats().received()).isZero();
    products.put(42L, new Product("widget", 31.00, 6));
  }

  @Test
  void duringARolloverAMessageSignedWithTheOldKeyIsAccepted() {
    table.put(42L, new Product("widget", 30.00, 5));
    FreshCache<Long, Product> products =
        instance(EventKeys.signingWith("new", NEW).alsoAccepting("old", OLD));
    products.get(42L);

    bus.publish("product.price_changed", EventKeys.signingWith("old", OLD).sign(update(25.0, 6)));
    assertThat(products.getIfPresent(42L)).isEqualTo(new Product("widget", 25.0, 6));

    bus.publish("product.price_changed", EventKeys.signingWith("new", NEW).sign(update(20.0, 7)));
    assertThat(products.getIfPresent(42L)).isEqualTo(new Product("widget", 20.0, 7));

    // The old secret under the new id is not the new key.
    bus.publish("product.price_changed", EventKeys.signingWith("new", OLD).sign(update(1.0, 8)));
    assertThat(products.getIfPresent(42L)).isEqualTo(new Product("widget", 20.0, 7));
    assertThat(products.group().stats().forged()).isEqualTo(1);
  }

  @Test
  void aSignedVersionJumpBeyondTheMaxStepOnlyInvalidates() {
    table.put(42L, new Product("widget", 30.00, 5));
    EventKeys keys = EventKeys.signingWith("k1", NEW);
    FreshCache<Long, Product> products = instance(keys, 100);
    products.get(42L);

    bus.publish("product.price_changed", keys.sign(update(0.01, 5 + 101)));

    assertThat(products.getIfPresent(42L)).isNull();
    assertThat(products.group().stats().downgraded()).isEqualTo(1);
    products.put(42L, new Product("widget", 31.00, 6)); // the horizon did not move to 106

    bus.publish("product.price_changed", keys.sign(update(25.0, 6 + 100)));
    assertThat(products.getIfPresent(42L)).isEqualTo(new Product("widget", 25.0, 106));
    assertThat(products.group().stats().downgraded()).isEqualTo(1);
  }

  @Test
  void aSignedVersionForAKeyNothingIsKnownOfIsAccepted() {
    EventKeys keys = EventKeys.signingWith("k1", NEW);
    FreshCache<Long, Product> products = instance(keys, 100);
    bus.publish("x.y", keys.sign(update(1.0, 999999).replace("\"update\"", "\"delete\"")));
    assertThat(products.group().stats().downgraded()).isZero();
    assertThatThrownBy(() -> products.put(42L, new Product("widget", 31.00, 6)))
        .isInstanceOf(VersionConflictException.class);
  }

  @Test
  void keysAreValidatedWithClearErrors() {
    assertThatThrownBy(() -> EventKeys.signingWith("k1", new byte[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has 15 bytes: use at least 16");
    assertThatThrownBy(() -> EventKeys.signingWith("bad id!", NEW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use 1 to 32 letters, digits and . _ -");
    assertThatThrownBy(() -> EventKeys.signingWith("k".repeat(33), NEW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventKeys.signingWith("k1", NEW).alsoAccepting("k1", OLD))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already one of these keys");
    assertThatThrownBy(
            () ->
                CacheGroup.builder("g")
                    .eventKeys(EventKeys.signingWith("k1", NEW))
                    .eventKeys(EventKeys.signingWith("k1", NEW)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("eventKeys was already set");
    assertThatThrownBy(() -> CacheGroup.builder("g").maxVersionStep(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
