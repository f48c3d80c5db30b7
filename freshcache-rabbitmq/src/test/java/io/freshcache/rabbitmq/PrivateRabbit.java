package io.freshcache.rabbitmq;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A RabbitMQ node of the test's own, started from the installed server ({@value #DEFAULT_SBIN}, or
 * the directory named by the system property {@value #SBIN_PROPERTY}) so that a test may stop and
 * start the broker without touching the machine's shared one. Everything it owns is in a temporary
 * directory: the database, the logs, the pid file, an empty plugins file (no management listener)
 * and the Erlang cookie (the directory is its {@code HOME}). Its node name is random and its AMQP
 * and distribution ports are free ones; the machine's epmd is shared. It can be stopped and started
 * again on the same database (the durable exchanges survive, the exclusive queues do not); {@link
 * #close} stops it and deletes the directory, and a shutdown hook does the same if the test JVM
 * exits first.
 */
final class PrivateRabbit implements AutoCloseable {

  static final String SBIN_PROPERTY = "freshcache.rabbitmq.sbin";
  static final String DEFAULT_SBIN = "/usr/lib/rabbitmq/bin";

  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final Path sbin = Path.of(System.getProperty(SBIN_PROPERTY, DEFAULT_SBIN));
  private final Path dir;
  private final String node;
  private final int port;
  private final int distPort;
  private final Thread hook;
  private Process process;

  private PrivateRabbit() throws IOException {
    if (!Files.isExecutable(sbin.resolve("rabbitmq-server"))) {
      throw new IllegalStateException(
          "no rabbitmq-server in "
              + sbin
              + ": install RabbitMQ, or name the directory of its rabbitmq-server and rabbitmqctl"
              + " in -D"
              + SBIN_PROPERTY);
    }
    dir = Files.createTempDirectory("freshcache-rabbit-");
    node =
        "fctest-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + "@localhost";
    port = freePort();
    distPort = freePort();
    Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
    hook = new Thread(this::stopAndDelete, "private-rabbit-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Starts a node, and waits until it answers AMQP. */
  static PrivateRabbit start() {
    PrivateRabbit rabbit;
    try {
      rabbit = new PrivateRabbit();
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare a private RabbitMQ node", e);
    }
    try {
      rabbit.startProcess();
    } catch (RuntimeException e) {
      rabbit.close();
      throw e;
    }
    return rabbit;
  }

  /** The node's AMQP URI (guest, vhost {@code /}). */
  String uri() {
    return "amqp://guest:guest@127.0.0.1:" + port;
  }

  /** The node's name, as {@code rabbitmqctl -n} takes it. */
  String node() {
    return node;
  }

  /** Stops the node ({@code rabbitmqctl stop}, which waits for its process), keeping its data. */
  synchronized void stop() {
    if (process == null) {
      return;
    }
    try {
      ctl("stop", dir.resolve("pid").toString());
    } catch (RuntimeException e) {
      // it did not stop when asked: the process tree goes
    }
    kill();
  }

  /**
   * Kills the node's processes (SIGKILL): no connection is closed by the broker, the kernel resets
   * them. Its data stays, for {@link #restart}.
   */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts the node again on the data it had (stopping it first if it runs). */
  synchronized void restart() {
    stop();
    startProcess();
  }

  @Override
  public void close() {
    stopAndDelete();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException exiting) {
      // the hook is running
    }
  }

  private synchronized void stopAndDelete() {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }

  private ProcessBuilder withEnvironment(List<String> command) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.put("HOME", dir.toString()); // the Erlang cookie of the node and of its rabbitmqctl
    env.put("RABBITMQ_NODENAME", node);
    env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
    env.put("RABBITMQ_NODE_PORT", String.valueOf(port));
    env.put("RABBITMQ_DIST_PORT", String.valueOf(distPort));
    env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
    env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
    env.put("RABBITMQ_PID_FILE", dir.resolve("pid").toString());
    env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
    env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq").toString()); // none: the defaults
    env.put("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString());
    return builder;
  }

  private synchronized void startProcess() {
    try {
      process =
          withEnvironment(List.of(sbin.resolve("rabbitmq-server").toString()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.out").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start rabbitmq-server", e);
    }
    awaitAmqp();
  }

  private void awaitAmqp() {
    try {
      await()
          .atMost(STARTUP)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsMatching(e -> !(e instanceof Exited))
          .until(this::answersAmqp);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new IllegalStateException(
          "the private RabbitMQ node "
              + node
              + " did not answer AMQP on port "
              + port
              + " within "
              + STARTUP
              + ": "
              + tail(dir.resolve("server.out")),
          e);
    }
  }

  private boolean answersAmqp() throws Exception {
    if (!process.isAlive()) {
      throw new Exited(
          "the private RabbitMQ node " + node + " exited: " + tail(dir.resolve("server.out")));
    }
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    factory.setPort(port);
    factory.setConnectionTimeout(2_000);
    try (Connection probe = factory.newConnection("fctest-probe")) {
      return probe.isOpen();
    }
  }

  /** The node's process ended while it was awaited. */
  private static final class Exited extends IllegalStateException {
    Exited(String message) {
      super(message);
    }
  }

  /** Runs rabbitmqctl against this node; fails if it does. */
  List<String> ctl(String... args) {
    List<String> command =
        new ArrayList<>(List.of(sbin.resolve("rabbitmqctl").toString(), "-s", "-n", node));
    command.addAll(List.of(args));
    try {
      Process ctl = withEnvironment(command).redirectErrorStream(true).start();
      String out = new String(ctl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!ctl.waitFor(60, TimeUnit.SECONDS) || ctl.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out.lines().filter(line -> !line.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run rabbitmqctl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public String toString() {
    return "PrivateRabbit[" + node + " on port " + port + "]";
  }
}
