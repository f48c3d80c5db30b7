package io.freshcache.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) for tests and
 * benchmarks, started in a JVM of its own from the Kafka jars ({@code org.apache.kafka:kafka_2.13},
 * which the caller puts on its class path, or names in the system property {@value
 * #CLASSPATH_PROPERTY}): the storage formatted with the storage tool, free ports, a temporary log
 * directory. Needs {@code kafka-clients} beside it (an optional dependency of this module). Clients
 * reach it through a {@link TcpProxy} (the broker advertises the proxy's port), so a test can cut
 * their connections. It can be stopped and started again on the same log; {@link #close} stops it
 * and deletes the directory, and a shutdown hook does the same if the test JVM exits first.
 */
public final class KafkaBroker implements AutoCloseable {

  /** The system property naming the broker JVM's class path, if not this JVM's own. */
  public static final String CLASSPATH_PROPERTY = "freshcache.kafka.classpath";

  private static KafkaBroker shared;

  private final Path dir;
  private final int brokerPort;
  private final int controllerPort;
  private final TcpProxy proxy;
  private final Thread hook;
  private Process process;

  /** The broker every test of this JVM shares, started on first use. */
  public static synchronized KafkaBroker shared() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /** A broker of the caller's own, which it closes. */
  public static KafkaBroker start() {
    try {
      return new KafkaBroker();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start a Kafka broker for the tests", e);
    }
  }

  private KafkaBroker() throws IOException {
    dir = Files.createTempDirectory("freshcache-kafka-");
    brokerPort = freePort();
    controllerPort = freePort();
    proxy = new TcpProxy(freePort(), brokerPort);
    hook = new Thread(this::stopAndDelete, "kafka-broker-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    writeConfig();
    run(
        List.of(
            "kafka.tools.StorageTool",
            "format",
            "-t",
            Uuid.randomUuid().toString(),
            "-c",
            config().toString()),
        dir.resolve("format.log"),
        Duration.ofSeconds(60));
    startProcess();
  }

  /** host:port of the broker, through the proxy: what a bus is given. */
  public String bootstrap() {
    return "127.0.0.1:" + proxy.port();
  }

  /** Cuts every client connection; the broker runs on and clients reconnect. */
  public void cutConnections() {
    proxy.cut();
  }

  /** While true, the network between clients and broker is down: connections cut and refused. */
  public void partition(boolean down) {
    proxy.refuse(down);
  }

  /** Stops the broker process, keeping its log. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Starts the broker again on the log it had. */
  public synchronized void restart() {
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
    proxy.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary directory
    }
  }

  private Path config() {
    return dir.resolve("server.properties");
  }

  private void writeConfig() throws IOException {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + proxy.port());
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.resolve("log").toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("log.flush.interval.messages", "1");
    try (var out = Files.newBufferedWriter(config())) {
      p.store(out, "a single-node KRaft broker for freshcache's tests");
    }
  }

  private synchronized void startProcess() {
    List<String> command = java();
    command.add("kafka.Kafka");
    command.add(config().toString());
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the Kafka broker", e);
    }
    awaitReady(Duration.ofSeconds(90));
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() - deadline < 0) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Kafka broker exited: " + tail(dir.resolve("broker.log")));
      }
      try (Admin admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap(),
                  AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                  5_000,
                  AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                  5_000))) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        last = e;
      }
    }
    throw new IllegalStateException(
        "the Kafka broker did not answer within "
            + timeout
            + ": "
            + last
            + tail(dir.resolve("broker.log")));
  }

  private List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms128m");
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-cp");
    String own = System.getProperty("java.class.path");
    String kafka = System.getProperty(CLASSPATH_PROPERTY);
    command.add(kafka == null || kafka.isBlank() ? own : kafka + java.io.File.pathSeparator + own);
    return command;
  }

  private void run(List<String> mainAndArgs, Path output, Duration timeout) throws IOException {
    List<String> command = java();
    command.addAll(mainAndArgs);
    Process run =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      if (!run.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || run.exitValue() != 0) {
        run.destroyForcibly();
        throw new IllegalStateException(String.join(" ", mainAndArgs) + " failed: " + tail(output));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
