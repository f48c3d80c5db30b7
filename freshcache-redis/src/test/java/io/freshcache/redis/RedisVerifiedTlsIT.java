package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verified TLS: the bus and the shared tier against TLS-only redis-servers whose certificate a CA
 * made by the test signed, for {@code localhost} only. A client that trusts the CA and reaches the
 * server by that name connects; an unknown CA, a host name the certificate does not list or a
 * missing client certificate (mutual TLS) fail the build in one clear line, without {@code
 * failFast}: a configuration error, not an outage to wait out.
 */
class RedisVerifiedTlsIT {

  private static TlsRedis.Certificates certificates;
  private static TlsRedis server;
  private static TlsRedis mutual;

  @BeforeAll
  static void start() throws Exception {
    certificates = TlsRedis.Certificates.make();
    server = TlsRedis.start(certificates);
    mutual = TlsRedis.requiringClientCertificates(certificates);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (mutual != null) {
      mutual.close();
    }
  }

  @Test
  void aCertificateSignedByTheTrustedCaConnects() throws Exception {
    shareAValueAndAnInvalidation(
        server.uri("localhost"),
        "verified",
        bus -> bus.trustCertificates(certificates.ca),
        tier -> tier.trustCertificates(certificates.ca));
  }

  @Test
  void withoutVerificationAnyCertificateConnectsForDevelopment() throws Exception {
    shareAValueAndAnInvalidation(
        server.uri("127.0.0.1") + "?verifyPeer=NONE",
        "unverified",
        UnaryOperator.identity(),
        UnaryOperator.identity());
  }

  /** Two instances over TLS: B is answered by the shared tier, and hears A's invalidation. */
  private static void shareAValueAndAnInvalidation(
      String uri,
      String namespace,
      UnaryOperator<RedisBusBuilder> busSettings,
      UnaryOperator<RedisSharedTierBuilder> tierSettings)
      throws Exception {
    try (RedisBus busA = busSettings.apply(bus(uri, namespace)).build();
        RedisBus busB = busSettings.apply(bus(uri, namespace)).build();
        RedisSharedTier tierA = tierSettings.apply(tier(uri, namespace)).build();
        RedisSharedTier tierB = tierSettings.apply(tier(uri, namespace)).build();
        CacheGroup a = CacheGroup.builder(namespace).bus(busA).shared(tierA).build();
        CacheGroup b = CacheGroup.builder(namespace).bus(busB).shared(tierB).build()) {
      FreshCache<String, String> onA =
          a.cache("c", String.class, String.class).source(k -> "v").build();
      FreshCache<String, String> onB =
          b.cache("c", String.class, String.class)
              .source(
                  k -> {
                    throw new IllegalStateException("B must be answered by the shared tier");
                  })
              .build();
      assertThat(onA.get("k")).isEqualTo("v");
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(onB.get("k")).isEqualTo("v"));
      a.invalidateKeys("k");
      await().atMost(Duration.ofSeconds(5)).until(() -> onB.analytics().key("k").isEmpty());
      assertThat(a.stats().sharedFailures()).isZero();
    }
  }

  @Test
  void aCertificateOfAnUnknownCaIsRefused() {
    String uri = server.uri("localhost");
    String where = "localhost:" + server.port;
    assertThatThrownBy(() -> bus(uri, "unknown").trustCertificates(certificates.otherCa).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "could not connect the invalidation bus to Redis at "
                + where
                + ": the server's certificate is not signed by a trusted CA")
        .hasMessageNotContaining("failFast")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> tier(uri, "unknown").trustCertificates(certificates.otherCa).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "could not connect the shared tier to Redis at "
                + where
                + ": the server's certificate is not signed by a trusted CA")
        .hasMessageNotContaining("failFast");
  }

  @Test
  void withoutTrustCertificatesTheJvmsCasDecideAndDoNotKnowTheTestsCa() {
    // rediss:// verifies by default: peer and host name.
    String uri = server.uri("localhost");
    assertThatThrownBy(() -> bus(uri, "default").build())
        .hasMessageContaining("the server's certificate is not signed by a trusted CA");
    assertThatThrownBy(() -> tier(uri, "default").build())
        .hasMessageContaining("the server's certificate is not signed by a trusted CA");
  }

  @Test
  void aHostNameTheCertificateDoesNotListIsRefused() {
    // The certificate names localhost only.
    String uri = server.uri("127.0.0.1");
    assertThatThrownBy(() -> bus(uri, "host").trustCertificates(certificates.ca).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "could not connect the invalidation bus to Redis at 127.0.0.1:"
                + server.port
                + ": the server's certificate does not match host 127.0.0.1")
        .hasMessageNotContaining("failFast");
    assertThatThrownBy(() -> tier(uri, "host").trustCertificates(certificates.ca).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the server's certificate does not match host 127.0.0.1");
  }

  @Test
  void verifyPeerCaChecksTheCaButNotTheHostName() throws Exception {
    String uri = server.uri("127.0.0.1") + "?verifyPeer=CA";
    try (RedisSharedTier tier = tier(uri, "ca-only").trustCertificates(certificates.ca).build()) {
      assertThat(tier.isAttached()).isTrue();
    }
  }

  @Test
  void mutualTlsRefusesAClientWithoutACertificateAndAcceptsOneWithIt() throws Exception {
    String uri = mutual.uri("localhost");
    assertThatThrownBy(() -> bus(uri, "mtls").trustCertificates(certificates.ca).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("localhost:" + mutual.port)
        .hasMessageContaining("client certificate")
        .hasMessageNotContaining("failFast");
    assertThatThrownBy(() -> tier(uri, "mtls").trustCertificates(certificates.ca).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("client certificate")
        .hasMessageNotContaining("failFast");

    try (RedisBus bus =
            bus(uri, "mtls")
                .trustCertificates(certificates.ca)
                .clientCertificate(certificates.clientCertificate, certificates.clientKey)
                .build();
        RedisSharedTier tier =
            tier(uri, "mtls")
                .trustCertificates(certificates.ca)
                .clientCertificate(certificates.clientCertificate, certificates.clientKey)
                .build()) {
      assertThat(bus.isAttached()).isTrue();
      assertThat(tier.isAttached()).isTrue();
      bus.publish("t.x", "{}").get();
      await().atMost(Duration.ofSeconds(5)).until(bus::isLive);
    }
  }

  private static RedisBusBuilder bus(String uri, String namespace) {
    return RedisBus.builder(uri, namespace).keyPrefix("fctest");
  }

  private static RedisSharedTierBuilder tier(String uri, String namespace) {
    return RedisSharedTier.builder(uri, namespace).keyPrefix("fctest");
  }
}
