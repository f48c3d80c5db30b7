package io.freshcache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TLS options are refused when given, not at connect, with a message that says what to do; the
 * same in both builders, since they share one check. No server: openssl makes the files.
 */
class TlsSettingsTest {

  private static final String TLS = "rediss://localhost:6390";
  private static TlsRedis.Certificates certificates;

  @BeforeAll
  static void makeCertificates() throws Exception {
    certificates = TlsRedis.Certificates.make();
  }

  @Test
  void aTlsOptionWithAPlainUriSaysToUseRediss() {
    assertThatThrownBy(
            () -> RedisBus.builder("redis://localhost", "n").trustCertificates(certificates.ca))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trustCertificates is set, but the URI is redis://; use rediss:// for TLS");
    assertThatThrownBy(
            () ->
                RedisSharedTier.builder("redis://localhost", "n")
                    .clientCertificate(certificates.clientCertificate, certificates.clientKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clientCertificate is set, but the URI is redis://; use rediss:// for TLS");
  }

  @Test
  void trustedCasWithVerificationTurnedOffAreRefused() {
    assertThatThrownBy(
            () ->
                RedisSharedTier.builder(TLS + "?verifyPeer=NONE", "n")
                    .trustCertificates(certificates.ca))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "trustCertificates is set, but the URI turns verification off (verifyPeer=NONE)");
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = certificates.dir.resolve("missing.pem");
    assertThatThrownBy(() -> RedisBus.builder(TLS, "n").trustCertificates(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("trustCertificates: no such file: " + missing);
    assertThatThrownBy(
            () ->
                RedisBus.builder(TLS, "n")
                    .clientCertificate(certificates.clientCertificate, missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clientCertificate's key: no such file: " + missing);
  }

  @Test
  void aFileThatIsNotAPemCertificateIsRefused() {
    assertThatThrownBy(
            () -> RedisSharedTier.builder(TLS, "n").trustCertificates(certificates.clientKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "trustCertificates: " + certificates.clientKey + " is not a PEM certificate file");
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() {
    assertThatThrownBy(
            () ->
                RedisBus.builder(TLS, "n")
                    .clientCertificate(certificates.clientCertificate, certificates.serverKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "clientCertificate: the key " + certificates.serverKey + " is not the key of the");
  }

  @Test
  void keysNettyCannotReadAreRefusedWithTheWayOut() throws Exception {
    Path pkcs1 = Files.writeString(certificates.dir.resolve("rsa.key"), pem("RSA PRIVATE KEY"));
    assertThatThrownBy(
            () ->
                RedisBus.builder(TLS, "n").clientCertificate(certificates.clientCertificate, pkcs1))
        .hasMessage(
            "clientCertificate's key: "
                + pkcs1
                + " is not PKCS#8; convert it with openssl pkcs8 -topk8 -nocrypt");
    Path encrypted =
        Files.writeString(certificates.dir.resolve("enc.key"), pem("ENCRYPTED PRIVATE KEY"));
    assertThatThrownBy(
            () ->
                RedisBus.builder(TLS, "n")
                    .clientCertificate(certificates.clientCertificate, encrypted))
        .hasMessageContaining(" is encrypted; give an unencrypted key");
  }

  @Test
  void eachOptionMayBeGivenOnce() {
    RedisBusBuilder builder = RedisBus.builder(TLS, "n").trustCertificates(certificates.ca);
    assertThatThrownBy(() -> builder.trustCertificates(certificates.otherCa))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("trustCertificates was already set to " + certificates.ca);
  }

  @Test
  void aGoodPairIsTakenAndTheOptionsBuild() {
    assertThat(
            RedisTls.sslOptions(
                RedisURI.create(TLS),
                certificates.ca,
                certificates.clientCertificate,
                certificates.clientKey))
        .isNotNull();
    assertThatThrownBy(
            () ->
                RedisTls.sslOptions(
                    RedisURI.create(TLS), null, certificates.clientCertificate, null))
        .hasMessage("a client certificate needs both the certificate and its key");
  }

  private static String pem(String type) {
    return "-----BEGIN " + type + "-----\nAAAA\n-----END " + type + "-----\n";
  }
}
