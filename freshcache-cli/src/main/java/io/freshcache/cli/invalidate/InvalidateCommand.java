package io.freshcache.cli.invalidate;

import io.freshcache.CacheGroup;
import io.freshcache.CacheGroupBuilder;
import io.freshcache.cli.RedisAddress;
import io.freshcache.cli.TlsOptions;
import io.freshcache.cli.watch.EventLine;
import io.freshcache.event.EventCodec;
import io.freshcache.event.Invalidation;
import io.freshcache.event.InvalidationEvent;
import io.freshcache.redis.RedisBus;
import io.freshcache.redis.RedisBusBuilder;
import io.freshcache.redis.RedisSharedTier;
import io.freshcache.redis.RedisSharedTierBuilder;
import io.freshcache.spi.InvalidationBus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code freshcache invalidate}: publishes one invalidation to every instance of a group, through
 * the Redis bus, as a member of the group would. Like every freshcache publisher it first applies
 * the invalidation to the group's shared tier ({@link RedisSharedTier}) on the same Redis, so that
 * no instance fills the old value back from there. It waits until the event is back from Redis (so
 * it is in the group's log and on its channel) before it exits. Exit code 0 when published, 1 if
 * Redis cannot be reached or did not confirm the tier's invalidation or the event, 2 on bad options
 * or a refused invalidation.
 */
@Command(
    name = "invalidate",
    sortOptions = false,
    usageHelpAutoWidth = true,
    headerHeading = "%n",
    header = "Invalidate keys, tags, a pattern or everything in a group, on every instance.",
    synopsisHeading = "%nUsage: ",
    descriptionHeading = "%n",
    description = {
      "Publishes one invalidation event on Redis for the cache group NS, as a member of the group"
          + " would: every running instance of the group applies it to all its caches, and an"
          + " instance that was disconnected replays it from the group's log when it reconnects."
          + " Before it publishes, it deletes what the invalidation names from the group's shared"
          + " tier (RedisSharedTier) on the same Redis, in every cache of the group, as a member"
          + " does: no instance fills the old value back from there. Run 'freshcache watch' beside"
          + " it to see the event go by.",
      "",
      "Keys, tags and patterns are the names the group's caches use: a key is the cache's key"
          + " prefix and the key, e.g. user:42 for key 42 of a cache with prefix 'user:'. The"
          + " command waits until Redis has taken the event (at most 5 seconds), then exits.",
    },
    optionListHeading = "%nOptions:%n",
    footerHeading = "%nExamples:%n",
    footer = {
      "  freshcache invalidate --redis redis://127.0.0.1:6379 --namespace shop \\",
      "      --key user:42",
      "  freshcache invalidate --redis redis://127.0.0.1:6379 --namespace shop \\",
      "      --tag org:42 --type org.updated",
      "  freshcache invalidate --redis redis://127.0.0.1:6379 --namespace shop \\",
      "      --pattern 'category:7:products:*'",
      "  freshcache invalidate --redis rediss://redis.internal:6380 --namespace shop \\",
      "      --tls-ca ca.pem --key user:42",
    })
public final class InvalidateCommand implements Callable<Integer> {

  /** How long to wait for Redis to take the event; it takes a round trip when it is up. */
  static final Duration CONFIRMATION = Duration.ofSeconds(5);

  @Spec CommandSpec spec;

  @Option(
      names = "--redis",
      required = true,
      paramLabel = "URI",
      converter = RedisAddress.Converter.class,
      description = "The group's Redis, e.g. redis://127.0.0.1:6379 (required).")
  RedisAddress redis;

  @Option(
      names = "--namespace",
      required = true,
      paramLabel = "NS",
      description = "The cache group to invalidate in: the name its CacheGroup was built with.")
  String namespace;

  @ArgGroup(exclusive = true, multiplicity = "1", heading = "%nWhat to invalidate (one of):%n")
  Target target;

  @Option(
      names = "--type",
      paramLabel = "EVENT_TYPE",
      description =
          "Publish the invalidation as this domain event, e.g. user.updated, so that the"
              + " instances' handlers for it run too (default: "
              + CacheGroup.INVALIDATE_EVENT
              + ").")
  String type;

  @Option(
      names = "--stream-prefix",
      paramLabel = "PREFIX",
      description =
          "The keyPrefix the group's RedisBus was built with (default: freshcache): the event"
              + " also goes to the group's log, the stream PREFIX:{NS}:log, which instances replay"
              + " from after a disconnection. Also the shared tier's, unless --tier-prefix says"
              + " otherwise.")
  String streamPrefix;

  @Option(
      names = "--tier-prefix",
      paramLabel = "PREFIX",
      description =
          "The keyPrefix the group's RedisSharedTier was built with, if it is not the bus's"
              + " (default: --stream-prefix, else freshcache): its entries are PREFIX:{NS}:e:...")
  String tierPrefix;

  @Mixin TlsOptions tls;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  /** The one thing to invalidate. */
  static final class Target {
    @Option(
        names = "--key",
        arity = "1..*",
        paramLabel = "KEY",
        description = "These keys, in every cache of the group.")
    List<String> keys;

    @Option(
        names = "--tag",
        arity = "1..*",
        paramLabel = "TAG",
        description = "Every entry carrying any of these tags.")
    List<String> tags;

    @Option(
        names = "--pattern",
        paramLabel = "GLOB",
        description =
            "Every key matching the glob (* any characters, ? one, \\ escapes), e.g. 'user:7*'."
                + " A glob that would match every key is refused: use --all.")
    String pattern;

    @Option(
        names = "--cascade",
        arity = "1..*",
        paramLabel = "KEY",
        description = "These keys and every entry derived from them, transitively.")
    List<String> cascade;

    @Option(names = "--all", description = "Everything in every cache of the group.")
    boolean all;

    Invalidation invalidation() {
      if (keys != null) {
        return Invalidation.keys(keys.toArray(String[]::new));
      }
      if (tags != null) {
        return Invalidation.tags(tags.toArray(String[]::new));
      }
      if (pattern != null) {
        try {
          return Invalidation.pattern(pattern);
        } catch (IllegalArgumentException e) {
          if (!pattern.isEmpty() && pattern.chars().allMatch(c -> c == '*' || c == '?')) {
            // The library's refusal names its method; add what to type here instead.
            throw new IllegalArgumentException(e.getMessage() + " (here: --all)", e);
          }
          throw e;
        }
      }
      if (cascade != null) {
        return Invalidation.cascade(cascade.toArray(String[]::new));
      }
      return Invalidation.all();
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    // Everything that can be refused is checked before connecting: bad input changes nothing.
    String source = "cli-" + UUID.randomUUID().toString().substring(0, 8);
    Invalidation invalidation = usage("", target::invalidation);
    String eventType = type == null ? CacheGroup.INVALIDATE_EVENT : type;
    usage("", () -> new InvalidationEvent(eventType, 0, invalidation, Map.of(), source));
    CacheGroupBuilder groupBuilder =
        usage(
            "--namespace: ",
            // a publisher for one call, not an instance of the fleet: 'freshcache stats' skips it
            () ->
                CacheGroup.builder(namespace)
                    .instanceId(source)
                    .statusInterval(java.time.Duration.ZERO));
    RedisBusBuilder busBuilder =
        usage(
            "--namespace: ",
            () -> RedisBus.builder(redis.uri(), namespace).clientName(source).failFast(true));
    if (streamPrefix != null) {
      usage("--stream-prefix: ", () -> busBuilder.keyPrefix(streamPrefix));
    }
    RedisSharedTierBuilder tierBuilder =
        usage("--namespace: ", () -> RedisSharedTier.builder(redis.uri(), namespace));
    tls.applyTo(busBuilder);
    tls.applyTo(tierBuilder);
    String prefix = tierPrefix != null ? tierPrefix : streamPrefix;
    if (prefix != null) {
      usage(
          tierPrefix != null ? "--tier-prefix: " : "--stream-prefix: ",
          () -> tierBuilder.keyPrefix(prefix));
    }

    warmUpJson();
    PrintWriter err = spec.commandLine().getErr();
    RedisBus bus;
    RedisSharedTier tier;
    try {
      bus = busBuilder.build();
    } catch (RuntimeException e) {
      err.println("freshcache: " + redis.unreachable(e));
      err.flush();
      return 1;
    }
    try {
      tier = tierBuilder.build();
    } catch (RuntimeException e) {
      bus.close();
      err.println("freshcache: " + redis.unreachable(e));
      err.flush();
      return 1;
    }
    try (bus;
        tier) {
      // RedisBus publishes asynchronously; its close() flushes, but only a round trip through
      // Redis proves the event went out: wait until it comes back. The bus writes it to the log
      // and the channel in one script, so its return proves both were done.
      Confirmation confirmation = new Confirmation(source);
      try (InvalidationBus.Subscription listening = bus.subscribe(confirmation);
          CacheGroup group = groupBuilder.bus(bus).shared(tier).build()) {
        // The tier first (waited for, bounded), then the event: the rule of every publisher.
        group.publish(eventType, invalidation, Map.of());
        if (!confirmation.await(CONFIRMATION)) {
          err.println(
              "freshcache: Redis at "
                  + redis
                  + " did not confirm the event within "
                  + CONFIRMATION.toSeconds()
                  + "s (failed publishes: "
                  + bus.publishFailures()
                  + "); instances of '"
                  + namespace
                  + "' may not have received it");
          err.flush();
          return 1;
        }
        long tierFailures = group.stats().sharedFailures();
        if (tierFailures > 0) {
          err.println(
              "freshcache: the shared tier at "
                  + redis
                  + " did not confirm the invalidation ("
                  + tierFailures
                  + " failed calls); the event was published, but instances of '"
                  + namespace
                  + "' may fill the old value back from the tier until it expires");
          err.flush();
          return 1;
        }
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "invalidated "
            + describe(invalidation)
            + " in group "
            + namespace
            + " (event "
            + eventType
            + ", source "
            + source
            + ")");
    out.flush();
    return 0;
  }

  /**
   * Jackson's first use takes a few hundred milliseconds in a fresh JVM, and the library stamps an
   * event before encoding it: without this, every instance and watcher would measure this JVM's
   * start-up as propagation lag.
   */
  private static void warmUpJson() {
    try {
      String sample =
          "{\"type\":\"a.b\",\"timestamp\":1.5,\"payload\":{\"type\":\"tag\",\"tags\":[\"t\"]},"
              + "\"source\":\"s\",\"namespace\":\"n\"}";
      new EventLine(true, ZoneOffset.UTC).event(EventCodec.decode(sample), "", Instant.now());
    } catch (EventCodec.MalformedEventException e) {
      throw new AssertionError(e);
    }
  }

  /** What an invalidation does, for the confirmation line. */
  static String describe(Invalidation invalidation) {
    return invalidation.match(
        new Invalidation.Cases<String>() {
          @Override
          public String keys(Invalidation.Keys keys) {
            return "keys "
                + keys.keys()
                + (keys.cascade() ? " and everything derived from them" : "");
          }

          @Override
          public String tags(Invalidation.Tags tags) {
            return "tags " + tags.tags();
          }

          @Override
          public String pattern(Invalidation.Pattern pattern) {
            return "keys matching " + pattern.glob();
          }

          @Override
          public String update(Invalidation.Update update) {
            return "keys " + update.keys() + " (with new values)";
          }

          @Override
          public String all(Invalidation.All all) {
            return "everything";
          }
        });
  }

  /** Runs a check of the command line; what it refuses is a usage error, exit code 2. */
  private <T> T usage(String option, Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ParameterException(spec.commandLine(), option + e.getMessage(), e);
    }
  }

  /** Hears this command's own event come back from Redis. */
  private static final class Confirmation implements InvalidationBus.Receiver {
    private final String source;
    private final CountDownLatch back = new CountDownLatch(1);

    Confirmation(String source) {
      this.source = source;
    }

    @Override
    public void onMessage(String message) {
      try {
        if (source.equals(EventCodec.decode(message).event().source())) {
          back.countDown();
        }
      } catch (EventCodec.MalformedEventException someoneElses) {
        // not ours
      }
    }

    boolean await(Duration timeout) throws InterruptedException {
      return back.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
  }
}
