package io.freshcache.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The RabbitMQ the tests share (127.0.0.1:5672, vhost {@code /}, unless {@code
 * freshcache.rabbitmq.uri} says otherwise): plain AMQP for what a test does beside the bus, and
 * {@code rabbitmqctl} for what only the server can do (close a connection, delete a queue). Every
 * test's exchanges start with {@link #PREFIX} and are deleted after it.
 */
final class RabbitTestSupport {

  static final String URI =
      System.getProperty("freshcache.rabbitmq.uri", "amqp://guest:guest@127.0.0.1:5672");

  /** The exchange prefix of every test. */
  static final String PREFIX = "fctest.";

  private RabbitTestSupport() {}

  /** The broker's port, for a proxy in front of it. */
  static int port() {
    int port = java.net.URI.create(URI).getPort();
    return port < 0 ? 5672 : port;
  }

  /**
   * {@link #URI} with its port replaced: the same broker reached through a proxy on {@code port}.
   */
  static String uriAt(int port) {
    java.net.URI uri = java.net.URI.create(URI);
    try {
      return new java.net.URI(
              uri.getScheme(), uri.getUserInfo(), uri.getHost(), port, uri.getPath(), null, null)
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The bus of one instance named {@code name} in a fleet test, at {@code uri}: the tests' exchange
   * prefix, a publish timeout of a second (so a cut-off bus gives up and retries soon), and a
   * connection named after the instance.
   */
  static RabbitBusBuilder instanceBus(String uri, String namespace, String name) {
    return RabbitBus.builder(uri, namespace)
        .exchangePrefix(PREFIX)
        .publishTimeout(java.time.Duration.ofSeconds(1))
        .connectionName("fctest-" + name);
  }

  /** A plain AMQP connection, as another application would open. */
  static Connection plainConnection() {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(URI);
      return factory.newConnection("fctest-plain");
    } catch (Exception e) {
      throw new IllegalStateException("cannot connect to RabbitMQ at " + URI + ": " + e, e);
    }
  }

  /** Publishes {@code body} on {@code exchange} as a plain publisher (no freshcache headers). */
  static void publishPlain(String exchange, String routingKey, byte[] body) {
    publishPlain(exchange, routingKey, body, null);
  }

  static void publishPlain(
      String exchange, String routingKey, byte[] body, Map<String, Object> headers) {
    try (Connection connection = plainConnection();
        Channel channel = connection.createChannel()) {
      channel.confirmSelect();
      channel.basicPublish(
          exchange, routingKey, new AMQP.BasicProperties.Builder().headers(headers).build(), body);
      channel.waitForConfirmsOrDie(5_000);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void publishPlain(String exchange, String routingKey, String body) {
    publishPlain(exchange, routingKey, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Deletes an exchange (if there is one) from a plain connection. */
  static void deleteExchange(String exchange) {
    try (Connection connection = plainConnection();
        Channel channel = connection.createChannel()) {
      channel.exchangeDelete(exchange);
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the broker has an exchange of that name. */
  static boolean exchangeExists(String exchange) {
    try (Connection connection = plainConnection()) {
      Channel channel = connection.createChannel();
      try {
        channel.exchangeDeclarePassive(exchange);
        return true;
      } catch (IOException notFound) {
        return false;
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Closes the bus's connection from the server side, as an operator or a broker restart would. */
  static void closeConnection(RabbitBus bus) {
    int port = bus.localPort();
    if (port < 0) {
      throw new IllegalStateException(bus + " has no connection");
    }
    for (String line : rabbitmqctl("list_connections", "pid", "peer_port")) {
      String[] fields = line.split("\t");
      if (fields.length == 2 && fields[1].trim().equals(String.valueOf(port))) {
        rabbitmqctl("close_connection", fields[0].trim(), "closed by a freshcache test");
        return;
      }
    }
    throw new IllegalStateException("the broker lists no connection from port " + port);
  }

  /** Deletes a queue on the server, whoever owns it. */
  static void deleteQueue(String queue) {
    rabbitmqctl("delete_queue", queue);
  }

  /** Runs rabbitmqctl (silent, tab-separated) and returns its lines; fails if it does. */
  static List<String> rabbitmqctl(String... args) {
    List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-s"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      List<String> lines = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
      return lines;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run rabbitmqctl: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
