package io.freshcache.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The TLS settings both Redis builders share: which CAs to trust and which certificate to present,
 * checked when given, and how a TLS failure at connect is told in plain words. Not thread-safe;
 * {@link #sslOptions} copies what it holds out into an immutable {@link SslOptions}.
 */
final class TlsSettings {

  private final RedisURI uri;
  private Path trustCertificates;
  private Path clientCertificate;
  private Path clientKey;

  /** Settings for connections to {@code uri}, which decides whether TLS is on. */
  TlsSettings(RedisURI uri) {
    this.uri = uri;
  }

  void trustCertificates(Path caPem) {
    Settings.once(trustCertificates != null, "trustCertificates", trustCertificates);
    Objects.requireNonNull(caPem, "trustCertificates must not be null");
    requireTls("trustCertificates");
    if (uri.getVerifyMode() == SslVerifyMode.NONE) {
      throw new IllegalArgumentException(
          "trustCertificates is set, but the URI turns verification off (verifyPeer=NONE):"
              + " remove verifyPeer=NONE to verify the server against "
              + caPem);
    }
    requireCertificates(caPem, "trustCertificates");
    trustCertificates = caPem;
  }

  void clientCertificate(Path certificatePem, Path keyPem) {
    Settings.once(clientCertificate != null, "clientCertificate", clientCertificate);
    Objects.requireNonNull(certificatePem, "clientCertificate's certificate must not be null");
    Objects.requireNonNull(keyPem, "clientCertificate's key must not be null");
    requireTls("clientCertificate");
    X509Certificate certificate = requireCertificates(certificatePem, "clientCertificate").get(0);
    requireMatch(
        certificate, requireKey(keyPem, certificate.getPublicKey().getAlgorithm()), keyPem);
    clientCertificate = certificatePem;
    clientKey = keyPem;
  }

  /**
   * The options for the clients: the JVM's trusted CAs unless {@link #trustCertificates} was given,
   * and a client certificate if one was. Host names are verified unless the URI says otherwise
   * ({@code verifyPeer=CA} or {@code NONE}).
   */
  SslOptions sslOptions() {
    SslOptions.Builder options = SslOptions.builder();
    if (trustCertificates != null) {
      options.trustManager(trustCertificates.toFile());
    }
    if (clientCertificate != null) {
      options.keyManager(clientCertificate.toFile(), clientKey.toFile(), null);
    }
    return options.build();
  }

  private void requireTls(String setting) {
    if (!uri.isSsl()) {
      throw new IllegalArgumentException(
          setting + " is set, but the URI is redis://; use rediss:// for TLS");
    }
  }

  private static List<X509Certificate> requireCertificates(Path file, String setting) {
    try (InputStream in = Files.newInputStream(readable(file, setting))) {
      List<X509Certificate> certificates = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        certificates.add((X509Certificate) c);
      }
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(
            setting + ": " + file + " holds no certificate; expected PEM (-----BEGIN CERTIFICATE)");
      }
      return certificates;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          setting
              + ": "
              + file
              + " is not a PEM certificate file (-----BEGIN CERTIFICATE): "
              + innermost(e),
          e);
    }
  }

  /** Reads an unencrypted PKCS#8 PEM key, as Netty will, with a message for each way it fails. */
  private static PrivateKey requireKey(Path file, String algorithm) {
    String text;
    try {
      text = Files.readString(readable(file, "clientCertificate's key"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "clientCertificate's key: cannot read " + file + ": " + innermost(e), e);
    }
    if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY")) {
      throw new IllegalArgumentException(
          "clientCertificate's key: "
              + file
              + " is encrypted; give an unencrypted key (openssl pkcs8 -topk8 -nocrypt)");
    }
    if (text.contains("-----BEGIN RSA PRIVATE KEY") || text.contains("-----BEGIN EC PRIVATE KEY")) {
      throw new IllegalArgumentException(
          "clientCertificate's key: "
              + file
              + " is not PKCS#8; convert it with openssl pkcs8 -topk8 -nocrypt");
    }
    if (!text.contains("-----BEGIN PRIVATE KEY")) {
      throw new IllegalArgumentException(
          "clientCertificate's key: "
              + file
              + " is not a PEM private key (-----BEGIN PRIVATE KEY)");
    }
    String base64 =
        text.substring(text.indexOf("-----BEGIN PRIVATE KEY"))
            .replaceAll("-----[A-Z ]+-----", "")
            .replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(base64);
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "clientCertificate's key: "
              + file
              + " holds no "
              + algorithm
              + " key (the certificate's key is "
              + algorithm
              + "): "
              + innermost(e),
          e);
    }
  }

  /** A key that is not the certificate's would fail only in the handshake, in obscure words. */
  private static void requireMatch(X509Certificate certificate, PrivateKey key, Path keyFile) {
    String signature =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448 name their signature
        };
    byte[] probe = "freshcache".getBytes(StandardCharsets.US_ASCII);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(signature);
      signer.initSign(key);
      signer.update(probe);
      byte[] signed = signer.sign();
      Signature verifier = Signature.getInstance(signature);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signed);
    } catch (GeneralSecurityException e) {
      return; // an algorithm this JVM cannot try: the handshake will tell
    }
    if (!matches) {
      throw new IllegalArgumentException(
          "clientCertificate: the key "
              + keyFile
              + " is not the key of the certificate "
              + certificate.getSubjectX500Principal().getName());
    }
  }

  private static Path readable(Path file, String setting) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(setting + ": no such file: " + file);
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(setting + ": cannot read " + file);
    }
    return file;
  }

  /**
   * What went wrong, in plain words, if {@code failure} is the TLS handshake refusing a connection
   * to {@code host}: a certificate that does not verify, or a server that refused ours. Empty for
   * anything else (an outage, a timeout).
   */
  static Optional<String> refusal(Throwable failure, String host) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertPathBuilderException
          || cause instanceof CertPathValidatorException) {
        return Optional.of(
            "the server's certificate is not signed by a trusted CA (" + innermost(cause) + ")");
      }
      if (cause instanceof CertificateExpiredException
          || cause instanceof CertificateNotYetValidException) {
        return Optional.of("the server's certificate is not valid now (" + innermost(cause) + ")");
      }
      if (cause instanceof java.security.cert.CertificateException
          && String.valueOf(cause.getMessage()).contains("matching")) {
        // The JDK's host name check: "No subject alternative names matching IP address ..."
        return Optional.of(
            "the server's certificate does not match host "
                + host
                + " ("
                + cause.getMessage()
                + ")");
      }
      if (cause instanceof SSLException) {
        String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("certificate_required")) {
          return Optional.of(
              "the server requires a client certificate (mutual TLS) and none was given");
        }
        if (message.contains("bad_certificate")
            || message.contains("unknown_ca")
            || message.contains("certificate_unknown")) {
          return Optional.of(
              "the server refused the client certificate (" + cause.getMessage() + ")");
        }
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }

  private static String innermost(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }
}
