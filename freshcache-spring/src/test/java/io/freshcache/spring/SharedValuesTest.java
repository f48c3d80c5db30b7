package io.freshcache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.cache.support.NullValue;

/** What a Spring cache's values look like in the shared tier, and what is read back. */
class SharedValuesTest {

  record Product(long id, String name, Instant updated) {}

  private final SharedValues typed =
      SharedValues.typed("products", List.of("io.freshcache.spring"));

  private Object roundTrip(SharedValues codec, Object value) {
    return codec.decode(codec.encode(value));
  }

  @Test
  void valuesOfTrustedClassesComeBackAsThemselvesNestedOnesToo() {
    Product kettle = new Product(1, "kettle", Instant.parse("2024-11-27T08:30:00Z"));

    assertThat(roundTrip(typed, kettle)).isEqualTo(kettle);
    assertThat(roundTrip(typed, List.of(kettle, kettle))).isEqualTo(List.of(kettle, kettle));
    assertThat(roundTrip(typed, Map.of("k", kettle))).isEqualTo(Map.of("k", kettle));
    assertThat(roundTrip(typed, 42L)).isEqualTo(42L);
    assertThat(roundTrip(typed, "text")).isEqualTo("text");
  }

  @Test
  void aCachedNullIsOneZeroByte() {
    assertThat(typed.encode(NullValue.INSTANCE)).containsExactly(0);
    assertThat(roundTrip(typed, NullValue.INSTANCE)).isSameAs(NullValue.INSTANCE);
  }

  @Test
  void aValueOfAnUntrustedPackageIsRefusedSayingHowToAllowIt() {
    SharedValues strict = SharedValues.typed("products", List.of("com.example"));

    assertThatThrownBy(() -> strict.encode(new Product(1, "x", Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cache 'products': values of io.freshcache.spring.SharedValuesTest$Product cannot go"
                + " to the shared tier, its package is not trusted; declare the cache's value type"
                + " (freshcache.caches.products.value-type="
                + "io.freshcache.spring.SharedValuesTest$Product) or trust the package"
                + " (freshcache.trusted-packages=io.freshcache.spring)");
  }

  @Test
  void bytesNamingAnUntrustedClassAreNotRead() {
    byte[] forged = "{\"@class\":\"java.net.URL\",\"protocol\":\"http\",\"host\":\"x\"}".getBytes();
    SharedValues strict = SharedValues.typed("products", List.of("com.example"));

    assertThatThrownBy(() -> strict.decode(forged)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aDeclaredValueTypeIsPlainJson() {
    SharedValues plain = SharedValues.of("products", Product.class, null);
    Product kettle = new Product(1, "kettle", Instant.EPOCH);

    assertThat(new String(plain.encode(kettle))).startsWith("{\"id\":1");
    assertThat(roundTrip(plain, kettle)).isEqualTo(kettle);
    assertThat(roundTrip(plain, NullValue.INSTANCE)).isSameAs(NullValue.INSTANCE);
  }
}
