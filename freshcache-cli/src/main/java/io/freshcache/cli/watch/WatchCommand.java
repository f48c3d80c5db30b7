package io.freshcache.cli.watch;

import io.freshcache.cli.DurationConverter;
import io.freshcache.cli.RedisAddress;
import io.freshcache.cli.TlsOptions;
import io.freshcache.event.EventCodec;
import io.freshcache.event.StatusMessages;
import io.freshcache.redis.RedisBus;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.SslOptions;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.PrintWriter;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code freshcache watch}: prints every invalidation event published on Redis, by any publisher,
 * one line each ({@link EventLine}), until interrupted, {@code --count} lines or {@code --timeout}.
 * It only listens: it subscribes to the channels itself and never joins a group. Exit code 0 when
 * stopped, 1 if Redis cannot be reached or the timeout came before {@code --count}, 2 on bad
 * options.
 */
@Command(
    name = "watch",
    sortOptions = false,
    usageHelpAutoWidth = true,
    headerHeading = "%n",
    header = "Print invalidation events as they are published on Redis.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Subscribes to the invalidation channels (cache:invalidation:*) and prints each event as it"
          + " arrives, one line each, until Ctrl-C: the time it was received, its event type, its"
          + " kind (delete, tag, pattern, update or all; 'cascade' when it also invalidates what"
          + " was derived from its keys), the keys, tags or pattern, then the publishing instance"
          + " (source), the group (namespace) and the propagation lag.",
      "",
      "It shows events from every publisher: freshcache instances, 'freshcache invalidate' and"
          + " services that publish the JSON format themselves. The lag (time received minus the"
          + " event's timestamp) is shown only for freshcache publishers, whose timestamps are"
          + " wall-clock time, and includes any clock difference between the two hosts. A message"
          + " that is not a valid event is printed as a 'malformed message' line with the reason;"
          + " freshcache instances ignore such messages.",
      "",
      "Events of PostgreSQL change capture (type freshcache.cdc, published by freshcache-jdbc's"
          + " PgChangeCapture) carry their transaction's commit time: their line shows the"
          + " transaction's xid and lsn, commit_lag (time received minus the commit time, on the"
          + " database server's clock) and the running p50 and p99 of that lag since the watch"
          + " began; when the watch stops at --count or --timeout, a summary line (count, p50, p99,"
          + " max) goes to standard error.",
      "",
      "Watching only listens: it joins no group and changes nothing. Events are printed on"
          + " standard output and nothing else is; status and errors go to standard error.",
    },
    optionListHeading = "%nOptions:%n",
    footerHeading = "%nExamples:%n",
    footer = {
      "  freshcache watch --redis redis://127.0.0.1:6379",
      "  freshcache watch --redis redis://127.0.0.1:6379 --namespace shop --json \\",
      "      | jq -c .keys",
      "  freshcache watch --redis redis://127.0.0.1:6379 --count 1 --timeout 10s",
      "  freshcache watch --redis rediss://redis.internal:6380 --tls-ca ca.pem \\",
      "      --tls-cert client.pem --tls-key client.key",
    })
public final class WatchCommand implements Callable<Integer> {

  static final String CHANNELS = RedisBus.CHANNEL_PREFIX + "*";

  @Spec CommandSpec spec;

  @Option(
      names = "--redis",
      required = true,
      paramLabel = "URI",
      converter = RedisAddress.Converter.class,
      description = "Redis to watch, e.g. redis://127.0.0.1:6379 (required).")
  RedisAddress redis;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description =
          "Show only the events group NS applies: those published for it, and those sent without"
              + " a namespace, which every group applies (default: every event).")
  String namespace;

  @Option(
      names = "--json",
      description = "Print one JSON object per event instead of aligned columns.")
  boolean json;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Stop after printing N lines (events and malformed messages).")
  Integer count;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Stop after DURATION, e.g. 30s or 5m; with --count, exit with code 1 if fewer than N"
              + " lines were printed by then.")
  Duration timeout;

  @Mixin TlsOptions tls;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() throws InterruptedException {
    validate();
    SslOptions ssl = tls.sslOptions(redis);
    PrintWriter err = spec.commandLine().getErr();
    Printer printer =
        new Printer(
            spec.commandLine().getOut(),
            new EventLine(json, ZoneId.systemDefault()),
            count == null ? Long.MAX_VALUE : count);
    RedisClient client = redis.client("watch", ssl);
    StatefulRedisPubSubConnection<String, String> connection;
    try {
      connection = client.connectPubSub();
      connection.addListener(printer);
      connection.sync().psubscribe(CHANNELS);
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      err.println("freshcache: " + redis.unreachable(e));
      err.flush();
      return 1;
    }
    // Lettuce reconnects and subscribes again on its own; what was published meanwhile is gone.
    ConnectionNotes notes = new ConnectionNotes(err);
    client.addListener(notes);
    // Ctrl-C needs no handling: every line is flushed as it is printed, and the JVM exits.
    try {
      err.println(
          "watching "
              + CHANNELS
              + " on "
              + redis
              + (namespace == null ? "" : " for namespace " + namespace)
              + "; Ctrl-C to stop");
      err.flush();
      boolean stopped = printer.await(timeout);
      if (!stopped && count != null) {
        err.println(
            "freshcache: "
                + printer.printed()
                + " of "
                + count
                + " lines printed before the timeout of "
                + spec.findOption("--timeout").originalStringValues().get(0));
        err.flush();
        return 1;
      }
      return 0;
    } finally {
      client.removeListener(notes); // closing is not losing the connection
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      String summary = printer.lagSummary();
      if (summary != null) {
        err.println(summary);
        err.flush();
      }
    }
  }

  private void validate() {
    if (count != null && count < 1) {
      throw new ParameterException(spec.commandLine(), "--count must be at least 1, was " + count);
    }
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new ParameterException(spec.commandLine(), "--timeout must be more than 0");
    }
  }

  /**
   * The line for one message, or null if it is for another group than {@code namespace}. Decoded as
   * every instance decodes it: what this calls malformed, they drop.
   */
  static String line(
      EventLine format, String namespace, String channel, String message, Instant received) {
    return line(format, namespace, channel, message, received, new CommitLags());
  }

  /** As above, recording change-capture events' commit → seen lags in {@code lags}. */
  static String line(
      EventLine format,
      String namespace,
      String channel,
      String message,
      Instant received,
      CommitLags lags) {
    try {
      if (StatusMessages.isStatus(message)) {
        return null; // an instance's periodic status: 'freshcache stats' shows those
      }
      EventCodec.Envelope event = EventCodec.decode(message);
      if (namespace != null && !EventLine.isFor(event, namespace)) {
        return null;
      }
      return format.event(event, channel, received, lags);
    } catch (EventCodec.MalformedEventException e) {
      return format.malformed(channel, e.getMessage(), received);
    } catch (RuntimeException e) {
      // Whatever a publisher sends, watching goes on.
      return format.malformed(channel, "unreadable: " + e, received);
    }
  }

  /** Prints what the subscription receives, up to a number of lines; Lettuce calls it in order. */
  private final class Printer extends RedisPubSubAdapter<String, String> {
    private final PrintWriter out;
    private final EventLine format;
    private final long limit;
    private final CountDownLatch done = new CountDownLatch(1);
    private final CommitLags lags = new CommitLags();
    private long printed;

    Printer(PrintWriter out, EventLine format, long limit) {
      this.out = out;
      this.format = format;
      this.limit = limit;
    }

    @Override
    public synchronized void message(String pattern, String channel, String message) {
      if (printed >= limit) {
        return; // more arrived before we stopped listening
      }
      String line = line(format, namespace, channel, message, Instant.now(), lags);
      if (line != null) {
        print(line);
      }
    }

    /** The commit → seen summary of the change-capture events printed, or null if none. */
    synchronized String lagSummary() {
      return lags.summary();
    }

    private void print(String line) {
      out.println(line);
      out.flush();
      if (++printed == limit) {
        done.countDown();
      }
    }

    synchronized long printed() {
      return printed;
    }

    /** Waits until the limit is reached, or the timeout passes ({@code false}). */
    boolean await(Duration timeout) throws InterruptedException {
      if (timeout == null) {
        done.await();
        return true;
      }
      return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Tells the person watching when the connection drops and comes back. */
  private static final class ConnectionNotes implements RedisConnectionStateListener {
    private final PrintWriter err;

    ConnectionNotes(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      note("lost the connection to Redis; reconnecting (events published meanwhile are not shown)");
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
      note("reconnected to Redis at " + address);
    }

    private synchronized void note(String text) {
      err.println("freshcache: " + text);
      err.flush();
    }
  }
}
