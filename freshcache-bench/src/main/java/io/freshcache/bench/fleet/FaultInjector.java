package io.freshcache.bench.fleet;

import io.freshcache.test.TcpProxy;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Applies one fault of the schedule to the fleet and returns once it is over (the fault's own
 * duration; kills return at once). Connections are found in {@code CLIENT LIST}: a subscription has
 * {@code sub} or {@code psub} above 0, a stream reader's last command is an {@code XREAD}.
 */
final class FaultInjector implements AutoCloseable {

  /** What the injector needs of the harness to stop, kill and restart instances. */
  interface Fleet {
    List<InstanceProcess> readers();

    InstanceProcess writer();

    /** Kills the writer (SIGKILL) and starts its next generation; returns when it is ready. */
    void restartWriter(InstanceProcess killed) throws Exception;

    void broadcast(String command) throws Exception;
  }

  private final PrivateRedisServer redis;
  private final TcpProxy writerProxy;
  private final Fleet fleet;
  private final SplittableRandom random;
  private final RedisClient client;
  private final List<String> notes = new ArrayList<>();

  FaultInjector(PrivateRedisServer redis, TcpProxy writerProxy, Fleet fleet, long seed) {
    this.redis = redis;
    this.writerProxy = writerProxy;
    this.fleet = fleet;
    this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    RedisURI uri = RedisURI.create(redis.uri());
    uri.setTimeout(Duration.ofSeconds(5));
    this.client = RedisClient.create(uri);
  }

  List<String> notes() {
    return notes;
  }

  void apply(Fault fault) throws Exception {
    switch (fault) {
      case SUBSCRIBER_KILL ->
          notes.add(
              "subscriber-kill: killed "
                  + kill(
                      line ->
                          field(line, "sub") > 0
                              || field(line, "psub") > 0
                              || field(line, "ssub") > 0));
      case STREAM_KILL ->
          notes.add(
              "stream-kill: killed "
                  + kill(line -> line.contains("cmd=xread") || line.contains("cmd=xreadgroup")));
      case WRITER_CUT -> {
        writerProxy.refuse(true);
        Thread.sleep(1_500);
        writerProxy.refuse(false);
      }
      case REDIS_RESTART -> {
        redis.stop();
        Thread.sleep(500);
        redis.start();
      }
      case DEBUG_SLEEP -> {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
          c.setTimeout(Duration.ofSeconds(5));
          c.sync()
              .dispatch(
                  CommandType.DEBUG,
                  new StatusOutput<>(StringCodec.UTF8),
                  new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(1));
        }
      }
      case PAUSE_WRITE -> {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
          c.sync()
              .dispatch(
                  CommandType.CLIENT,
                  new StatusOutput<>(StringCodec.UTF8),
                  new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(1_000).add("WRITE"));
        }
        Thread.sleep(1_000);
      }
      case READER_STOP -> {
        List<InstanceProcess> readers = fleet.readers();
        InstanceProcess reader = readers.get(random.nextInt(readers.size()));
        reader.signal("STOP");
        Thread.sleep(1_500);
        reader.signal("CONT");
        notes.add("reader-stop: reader " + reader.instance);
      }
      case WRITER_KILL -> {
        InstanceProcess writer = fleet.writer();
        writer.send("KILLPOINT");
        String ack = writer.await("ACK", 30);
        fleet.restartWriter(writer);
        notes.add("writer-kill: killed after " + ack);
      }
      case SLOW_SOURCE -> {
        fleet.broadcast("SLOW 300");
        Thread.sleep(3_000);
        fleet.broadcast("SLOW 0");
      }
      default -> throw new IllegalStateException("no injector for " + fault);
    }
  }

  private long kill(java.util.function.Predicate<String> which) {
    long killed = 0;
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      String self = Long.toString(c.sync().clientId());
      for (String line : c.sync().clientList().split("\n")) {
        String id = text(line, "id");
        if (id == null || id.equals(self) || !which.test(line)) {
          continue;
        }
        killed += c.sync().clientKill(KillArgs.Builder.id(Long.parseLong(id)));
      }
    }
    return killed;
  }

  private static String text(String line, String name) {
    for (String part : line.trim().split(" ")) {
      if (part.startsWith(name + "=")) {
        return part.substring(name.length() + 1);
      }
    }
    return null;
  }

  private static long field(String line, String name) {
    String value = text(line, name);
    return value == null ? 0 : Long.parseLong(value);
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
