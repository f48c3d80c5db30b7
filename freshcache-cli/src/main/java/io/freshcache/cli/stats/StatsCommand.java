package io.freshcache.cli.stats;

import io.freshcache.cli.DurationConverter;
import io.freshcache.cli.RedisAddress;
import io.freshcache.cli.Text;
import io.freshcache.cli.TlsOptions;
import io.freshcache.event.Names;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code freshcache stats}: every instance of a group, from the statuses they send on the bus
 * ({@link io.freshcache.stats.InstanceStatus}), read from the group's log on Redis. Exit code 0
 * when it printed the fleet, 1 if Redis cannot be reached or refused, or (without {@code --watch})
 * no instance of the group reported in the window; 2 on bad options.
 */
@Command(
    name = "stats",
    sortOptions = false,
    usageHelpAutoWidth = true,
    headerHeading = "%n",
    header = "Show every instance of a cache group: trusted, losses, outbox, lag, hits, nines.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Every instance of a group sends a small status on the group's bus every few seconds"
          + " (CacheGroupBuilder.statusInterval, 5s by default). This reads the statuses of the"
          + " last --window from the group's log on Redis and prints one line per instance: its"
          + " id, host and process, its state, when it was last heard, how long it has run, the"
          + " losses its bus reported, how often its local hits were suspended, the invalidations"
          + " waiting in its outbox, the propagation lag p50/p99 of events reaching it, its caches'"
          + " hit ratio over the window (since its start if only one status is in the window) and"
          + " what their freshness verifiers found, as nines.",
      "",
      "States: 'up' (reporting, local hits trusted), 'suspended' (reporting, but the bus cannot"
          + " vouch for delivery, so it serves no local hits), 'gone' (silent for three of its"
          + " intervals: killed, frozen or cut off) and 'closed' (it closed its group and said"
          + " so). Ages are judged on Redis's clock alone, so clocks of the hosts do not matter.",
      "",
      "It only reads: it joins no group and changes nothing. The Redis user needs TIME, XRANGE"
          + " and XREVRANGE on the group's log key (<prefix>:{<namespace>}:log).",
    },
    optionListHeading = "%nOptions:%n",
    footerHeading = "%nExamples:%n",
    footer = {
      "  freshcache stats --redis redis://127.0.0.1:6379 --namespace shop",
      "  freshcache stats --redis redis://127.0.0.1:6379 --namespace shop --watch",
      "  freshcache stats --redis redis://127.0.0.1:6379 --namespace shop --json \\",
      "      | jq '.instances[] | select(.state != \"up\") | .instance'",
    })
public final class StatsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--redis",
      required = true,
      paramLabel = "URI",
      converter = RedisAddress.Converter.class,
      description = "Redis the group's bus runs on, e.g. redis://127.0.0.1:6379 (required).")
  RedisAddress redis;

  @Option(
      names = "--namespace",
      required = true,
      paramLabel = "NS",
      description = "The group (its name is its namespace on the bus) (required).")
  String namespace;

  @Option(
      names = "--stream-prefix",
      paramLabel = "PREFIX",
      defaultValue = "freshcache",
      description =
          "The keyPrefix the group's RedisBus was built with (default: ${DEFAULT-VALUE}).")
  String streamPrefix;

  @Option(
      names = "--window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "10m",
      description =
          "How far back to read statuses (default: ${DEFAULT-VALUE}); an instance silent for"
              + " longer drops out of the list.")
  Duration window;

  @Option(names = "--json", description = "Print one JSON object (per refresh, with --watch).")
  boolean json;

  @Option(names = "--watch", description = "Refresh in place until Ctrl-C.")
  boolean watch;

  @Option(
      names = "--every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "2s",
      description = "With --watch: how often to refresh (default: ${DEFAULT-VALUE}).")
  Duration every;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "With --watch: stop after DURATION, e.g. 30s.")
  Duration timeout;

  @Mixin TlsOptions tls;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  /** Clears the terminal and moves to its top-left corner, so a refresh replaces the last. */
  private static final String CLEAR = "\u001b[H\u001b[2J";

  @Override
  public Integer call() throws InterruptedException {
    validate();
    SslOptions ssl = tls.sslOptions(redis);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RedisClient client = redis.client("stats", ssl);
    StatefulRedisConnection<String, String> connection;
    try {
      connection = client.connect();
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      err.println("freshcache: " + redis.unreachable(e));
      err.flush();
      return 1;
    }
    String streamKey = streamPrefix + ":{" + namespace + "}:log";
    StatusLog log = new StatusLog(connection.sync(), streamKey, window.toMillis());
    try {
      if (!watch) {
        Fleet fleet = log.read();
        if (fleet.instances().isEmpty()) {
          err.println("freshcache: " + nobody());
          err.flush();
          return 1;
        }
        print(out, fleet, log);
        return 0;
      }
      long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
      while (true) {
        refresh(out, err, log);
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return 0;
        }
        TimeUnit.NANOSECONDS.sleep(Math.min(left, every.toNanos()));
      }
    } catch (RedisCommandExecutionException e) {
      err.println("freshcache: " + refused(streamKey, e));
      err.flush();
      return 1;
    } catch (RedisConnectionException | io.lettuce.core.RedisCommandTimeoutException e) {
      err.println("freshcache: " + redis.unreachable(e));
      err.flush();
      return 1;
    } finally {
      connection.close();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** One refresh of --watch: a Redis that went away is noted and tried again next time. */
  private void refresh(PrintWriter out, PrintWriter err, StatusLog log) {
    Fleet fleet;
    try {
      fleet = log.read();
    } catch (RedisConnectionException | io.lettuce.core.RedisCommandTimeoutException e) {
      err.println(
          "freshcache: " + redis.unreachable(e) + "; trying again in " + every.toSeconds() + "s");
      err.flush();
      return;
    }
    if (!json) {
      out.print(CLEAR);
    }
    if (fleet.instances().isEmpty() && !json) {
      out.println(nobody());
    } else {
      print(out, fleet, log);
    }
    if (!json) {
      out.println();
      out.println("refreshed every " + FleetTable.age(every.toMillis()) + "; Ctrl-C to stop");
    }
    out.flush();
  }

  private void print(PrintWriter out, Fleet fleet, StatusLog log) {
    if (json) {
      out.println(FleetTable.json(namespace, redis.toString(), fleet, log, window));
    } else {
      out.println(FleetTable.header(namespace, redis.toString(), fleet, log, window));
      out.println();
      FleetTable.rows(fleet).forEach(out::println);
    }
    out.flush();
  }

  private String nobody() {
    return "no instance of group '"
        + namespace
        + "' sent a status in the last "
        + FleetTable.age(window.toMillis())
        + " on "
        + redis
        + ": check --namespace (and --stream-prefix if its RedisBus has another keyPrefix);"
        + " instances send one every 5s unless their group's statusInterval is Duration.ZERO";
  }

  private String refused(String streamKey, RedisCommandExecutionException e) {
    String reason = Text.printable(String.valueOf(e.getMessage()));
    if (reason.startsWith("WRONGTYPE")) {
      return "the key "
          + streamKey
          + " on "
          + redis
          + " is not a freshcache log (it is not a stream): check --stream-prefix";
    }
    return "Redis at "
        + redis
        + " refused to read the log "
        + streamKey
        + ": "
        + reason
        + " (the user needs TIME, XRANGE and XREVRANGE on that key)";
  }

  private void validate() {
    try {
      Names.requireName(namespace, "--namespace");
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (window.isZero() || window.isNegative()) {
      throw new ParameterException(spec.commandLine(), "--window must be more than 0");
    }
    if (every.isZero() || every.isNegative()) {
      throw new ParameterException(spec.commandLine(), "--every must be more than 0");
    }
    if (!watch
        && (timeout != null || spec.commandLine().getParseResult().hasMatchedOption("--every"))) {
      throw new ParameterException(spec.commandLine(), "--every and --timeout go with --watch");
    }
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      throw new ParameterException(spec.commandLine(), "--timeout must be more than 0");
    }
  }
}
