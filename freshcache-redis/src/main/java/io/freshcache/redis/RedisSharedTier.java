package io.freshcache.redis;

import io.freshcache.spi.SharedEntry;
import io.freshcache.spi.SharedLookup;
import io.freshcache.spi.SharedTier;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The shared tier on Redis: entries of a cache group, with their TTL, version and tags, stored
 * under {@code <prefix>:{<namespace>}:} (see the builder). All keys of a namespace share one
 * Cluster hash slot, so every script is single-slot: the tier talks to a standalone Redis, or, with
 * {@link RedisSharedTierBuilder#cluster}, to the node of a Redis Cluster that owns that slot,
 * following it (the cluster's redirections, a re-read of its topology) when it fails over to a
 * replica or is moved to another master. While a slot is being moved, a script whose keys are split
 * between the two nodes is refused (TRYAGAIN): that call fails like any other and the cache goes to
 * the source.
 *
 * <p><b>Round trips.</b> A {@link #lookup} that finds an entry without tags is one PTTL and one
 * HMGET written together, one round trip and no script (see {@link PlainRead}); one that finds no
 * entry, or one with tags, then runs the lookup script, which judges the tags and takes the lease
 * (a second round trip; a cache whose entries carry tags goes to the script first once it met one).
 * {@link #fill}, {@link #release}, {@link #put} and {@link #invalidateTags} are one script each
 * (EVALSHA), one round trip; {@link #lookupAll} is one script per 500 keys, sent together, one
 * round trip; {@link #invalidate} is one UNLINK per 500 keys, and {@link #invalidateInEveryCache}
 * one script per 500 keys, sent together; {@link #invalidatePattern}, {@link
 * #invalidatePatternInEveryCache} (per cache), {@link #invalidateAll} and {@link
 * #invalidateEveryCache} (one sweep of the namespace) alternate SCAN (COUNT 500) and UNLINK, never
 * KEYS.
 *
 * <p><b>The namespace's caches</b> are kept in a set, {@code <prefix>:{<namespace>}:caches}: each
 * tier adds a cache to it once, before its first lookup, fill or put of that cache, so that an
 * invalidation naming no cache reaches the caches of every instance, including caches this one
 * never uses. The set is only added to.
 *
 * <p><b>Tags</b> cost one SET each to invalidate, however many entries carry them: a lookup
 * compares an entry's tags with the versions it recorded and drops it if any changed. The tag keys
 * have no TTL and must not be evicted, nor must the set of caches: run Redis with {@code
 * noeviction} or a {@code volatile-*} policy (entries and leases always have a TTL), else an
 * evicted tag key could revive stale entries, and an evicted set hide a cache from invalidations
 * that name none.
 *
 * <p><b>Failures.</b> Bad arguments throw at once ({@link NullPointerException}, {@link
 * IllegalArgumentException}) and change nothing. Everything that depends on Redis completes
 * exceptionally instead: while the connection is down commands are refused at once, and no command
 * waits longer than the command timeout. The connection reconnects by itself, and scripts that a
 * restarted Redis forgot are sent again. Futures complete on Lettuce's I/O threads: do not block in
 * their callbacks.
 *
 * <p>Thread-safe.
 */
public final class RedisSharedTier implements SharedTier {

  private static final int BATCH = 500;

  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final TierSettings settings;
  private final SharedKeys keys;
  private final byte[] tagPrefix;

  /** What the tier's client runs on: handed in, or made by the tier and then shut down by it. */
  private final Resources resources;

  private final AbstractRedisClient client;
  private final Script lookup = new Script(SharedScripts.LOOKUP, ScriptOutputType.MULTI);

  /** The namespace's generation key, the first key of every lookup. */
  private final byte[] generation;

  /** The key prefixes of each cache this tier was asked about, by cache (checked names only). */
  private final ConcurrentHashMap<String, CacheKeys> cacheKeys = new ConcurrentHashMap<>();

  /** The last hold time sent, as the script reads it (usually the same for every lookup). */
  private volatile HoldArgument hold = new HoldArgument(-1, new byte[0]);

  private record HoldArgument(long millis, byte[] bytes) {}

  /**
   * Where a cache's entries and leases live (a key's UTF-8 bytes are appended), and whether its
   * lookups go to the script first: once a {@link PlainRead} found an entry of the cache with tags,
   * which only the script can judge.
   */
  private static final class CacheKeys {
    final byte[] entries;
    final byte[] leases;
    volatile boolean scriptFirst;

    CacheKeys(byte[] entries, byte[] leases) {
      this.entries = entries;
      this.leases = leases;
    }
  }

  private final Script fill = new Script(SharedScripts.FILL, ScriptOutputType.INTEGER);
  private final Script release = new Script(SharedScripts.RELEASE, ScriptOutputType.INTEGER);
  private final Script put = new Script(SharedScripts.PUT, ScriptOutputType.INTEGER);
  private final Script invalidateTags =
      new Script(SharedScripts.INVALIDATE_TAGS, ScriptOutputType.INTEGER);
  private final Script everyCacheKeys =
      new Script(SharedScripts.INVALIDATE_IN_EVERY_CACHE, ScriptOutputType.INTEGER);

  /** The connection, once attached: null while Redis could not be reached yet. */
  private volatile StatefulConnection<String, byte[]> owner;

  private volatile RedisClusterAsyncCommands<String, byte[]> commands;
  private final byte[] base;

  /** The SADD that put each cache into the namespace's set, by cache. */
  private final ConcurrentHashMap<String, CompletableFuture<Long>> registered =
      new ConcurrentHashMap<>();

  private volatile boolean closed;

  /** Starts a builder for a tier at {@code uri} holding the entries of group {@code namespace}. */
  public static RedisSharedTierBuilder builder(String uri, String namespace) {
    return new RedisSharedTierBuilder(uri, namespace);
  }

  /**
   * Starts a builder for a tier at {@code uri} to hand to a group, which opens it for its own name
   * and closes it with itself: {@code
   * CacheGroup.builder("shop").shared(RedisSharedTier.builder(uri))}.
   */
  public static RedisSharedTierBuilder builder(String uri) {
    return new RedisSharedTierBuilder(uri, null);
  }

  @Override
  public String serverName() {
    return "Redis";
  }

  @Override
  public String namespace() {
    return settings.namespace();
  }

  RedisSharedTier(TierSettings settings) {
    this.settings = settings;
    this.keys = new SharedKeys(settings.keyPrefix(), settings.namespace());
    this.tagPrefix = bytes(keys.tagPrefix());
    this.base = bytes(keys.base());
    this.generation = bytes(keys.generation());
    this.resources = new Resources(settings.clientResources());
    this.client =
        Connections.client(
            resources.get(),
            settings.uri(),
            settings.sslOptions(),
            settings.cluster(),
            "freshcache-shared-" + settings.namespace(),
            settings.commandTimeout(),
            options ->
                options
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                    .socketOptions(
                        SocketOptions.builder().connectTimeout(settings.commandTimeout()).build()));
    try {
      try {
        attach();
      } catch (RuntimeException first) {
        if (!Settings.closedDuringHandshake(first)) {
          throw first;
        }
        attach(); // a refusal or an outage: the second attempt says which
      }
    } catch (RuntimeException e) {
      boolean refused = Settings.refused(e, settings.uri());
      if (settings.failFast() || refused) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdownIfOwned();
        throw Settings.connectFailure("shared tier", settings.uri(), e, refused);
      }
      org.slf4j.LoggerFactory.getLogger(RedisSharedTier.class)
          .warn(
              "shared tier '{}': Redis at {} cannot be reached ({}); starting detached: every"
                  + " call fails at once (reads go to the source) until it answers. Trying to"
                  + " attach once a second",
              settings.namespace(),
              where(),
              Settings.rootCause(e));
      Thread attacher =
          new Thread(this::attachLate, "freshcache-shared-attach-" + settings.namespace());
      attacher.setDaemon(true);
      attacher.start();
    }
  }

  /** Connects; the tier works from the moment this returns. */
  private void attach() {
    // Loaded on the node that owns the namespace's slot now; a node that takes the slot over
    // later learns each script from its first use (NOSCRIPT, then the script in full).
    RedisClusterAsyncCommands<String, byte[]> owner = connect().node().async();
    List<CompletableFuture<String>> loads = new ArrayList<>();
    for (Script script : List.of(lookup, fill, release, put, invalidateTags, everyCacheKeys)) {
      loads.add(script.preload(owner));
    }
    try {
      // Waited for: the tier's first calls find the scripts known, and counts of its commands
      // (INFO commandstats) taken after build see no SCRIPT LOAD.
      CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).join();
    } catch (java.util.concurrent.CompletionException notFatal) {
      // a script Redis does not know is sent in full on its first use
    }
  }

  private Connections<byte[]> connect() {
    // Every key of a namespace lives in one hash slot; on a cluster, commands are routed to the
    // node that owns it and follow it when it fails over or moves.
    Connections<byte[]> connected = Connections.connect(client, CODEC, keys.tagPrefix());
    this.owner = connected.owner; // first: a tier with commands is attached, and uses both
    this.commands = connected.scripting;
    return connected;
  }

  private void attachLate() {
    while (!closed) {
      try {
        TimeUnit.SECONDS.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
      try {
        synchronized (this) {
          if (closed) {
            return;
          }
          attach();
        }
        org.slf4j.LoggerFactory.getLogger(RedisSharedTier.class)
            .info("shared tier '{}': attached to Redis at {}", settings.namespace(), where());
        return;
      } catch (RuntimeException stillDown) {
        // try again in a second
      }
    }
  }

  private String where() {
    return Settings.where(settings.uri());
  }

  /** Whether the tier is attached to Redis (it may start detached: see the builder). */
  public boolean isAttached() {
    return commands != null;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A hit's {@link SharedEntry#ttl} is what remains of its TTL. An entry one of whose tags was
   * invalidated is deleted and counts as a miss. A lease is an opaque token; pass it to {@link
   * #fill} unchanged. The reply is read straight into the answer (see {@link LookupReply}).
   */
  @Override
  public CompletableFuture<SharedLookup> lookup(String cache, String key, Duration holdFor) {
    CacheKeys names = cacheKeys(cache);
    byte[] name = bytes(SharedKeys.requireKey(key));
    byte[] holdMillis = holdArgument(holdFor);
    CompletableFuture<SharedLookup> refused = refusal();
    if (refused != null) {
      return refused;
    }
    try {
      register(cache);
      byte[] entry = concat(names.entries, name);
      if (names.scriptFirst) {
        return lookupByScript(names, entry, name, holdMillis);
      }
      return PlainRead.send(owner, entry)
          .thenCompose(
              read -> {
                if (read.tagged()) {
                  names.scriptFirst = true;
                }
                SharedLookup hit = read.hit();
                return hit != null
                    ? CompletableFuture.completedFuture(hit)
                    : lookupByScript(names, entry, name, holdMillis);
              });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The lookup script for one key: judges its tags, takes its lease on a miss. */
  private CompletableFuture<SharedLookup> lookupByScript(
      CacheKeys names, byte[] entry, byte[] name, byte[] holdMillis) {
    return lookup.run(
        commands,
        LookupReply.One::new,
        new byte[][] {generation, entry, concat(names.leases, name)},
        tagPrefix,
        token(),
        holdMillis);
  }

  /**
   * {@inheritDoc}
   *
   * <p>One script per 500 keys, all sent at once: every key of a namespace lives in one Cluster
   * slot, so one script answers them on a cluster too. Every key is checked before anything is
   * sent.
   */
  @Override
  public CompletableFuture<List<SharedLookup>> lookupAll(
      String cache, List<String> keys, Duration holdFor) {
    CacheKeys names = cacheKeys(cache);
    Objects.requireNonNull(keys, "keys must not be null");
    byte[][] encoded = new byte[keys.size()][];
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = bytes(SharedKeys.requireKey(keys.get(i)));
    }
    byte[] holdMillis = holdArgument(holdFor);
    if (encoded.length == 0) {
      return CompletableFuture.completedFuture(List.of());
    }
    CompletableFuture<List<SharedLookup>> refused = refusal();
    if (refused != null) {
      return refused;
    }
    try {
      register(cache);
      List<CompletableFuture<SharedLookup[]>> batches = new ArrayList<>();
      for (int from = 0; from < encoded.length; from += SharedScripts.LOOKUP_BATCH) {
        int size = Math.min(SharedScripts.LOOKUP_BATCH, encoded.length - from);
        byte[][] batch = new byte[1 + 2 * size][];
        batch[0] = generation;
        for (int i = 0; i < size; i++) {
          batch[1 + 2 * i] = concat(names.entries, encoded[from + i]);
          batch[2 + 2 * i] = concat(names.leases, encoded[from + i]);
        }
        // Each script's token part is its own; the script makes each key's token unique.
        batches.add(
            lookup.run(
                commands, () -> new LookupReply.Many(size), batch, tagPrefix, token(), holdMillis));
      }
      return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new))
          .thenApply(
              done -> {
                List<SharedLookup> found = new ArrayList<>(encoded.length);
                for (CompletableFuture<SharedLookup[]> batch : batches) {
                  for (SharedLookup answer : batch.join()) {
                    if (answer == null) {
                      throw new IllegalStateException("the lookup script answered too few keys");
                    }
                    found.add(answer);
                  }
                }
                return found;
              });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The cache's key prefixes; checks the name the first time it is seen. */
  private CacheKeys cacheKeys(String cache) {
    CacheKeys names = cache == null ? null : cacheKeys.get(cache);
    if (names != null) {
      return names;
    }
    SharedKeys.requireCache(cache);
    return cacheKeys.computeIfAbsent(
        cache, c -> new CacheKeys(bytes(keys.entry(c, "")), bytes(keys.lease(c, ""))));
  }

  private byte[] holdArgument(Duration holdFor) {
    long millis = requireMillis(holdFor, "holdFor");
    HoldArgument last = hold;
    if (last.millis() != millis) {
      last = new HoldArgument(millis, bytes(Long.toString(millis)));
      hold = last;
    }
    return last.bytes();
  }

  /** The random part of a lease token: 32 hex digits. */
  private static byte[] token() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] token = new byte[32];
    hex(random.nextLong(), token, 0);
    hex(random.nextLong(), token, 16);
    return token;
  }

  private static void hex(long bits, byte[] into, int at) {
    for (int i = 15; i >= 0; i--) {
      into[at + i] = (byte) Character.forDigit((int) (bits & 0xf), 16);
      bits >>>= 4;
    }
  }

  private static byte[] concat(byte[] prefix, byte[] key) {
    byte[] name = Arrays.copyOf(prefix, prefix.length + key.length);
    System.arraycopy(key, 0, name, prefix.length, key.length);
    return name;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Also refused if one of the entry's tags was invalidated after the lease was taken: the value
   * may have been loaded before that invalidation. An equal version replaces the stored one.
   */
  @Override
  public CompletableFuture<Boolean> fill(
      String cache, String key, SharedEntry entry, String lease) {
    SharedKeys.requireCache(cache);
    SharedKeys.requireKey(key);
    Objects.requireNonNull(entry, "entry must not be null");
    Objects.requireNonNull(lease, "lease must not be null");
    return callRegistered(
        cache,
        () ->
            fill.<Long>run(
                    commands,
                    new String[] {keys.entry(cache, key), keys.lease(cache, key)},
                    bytes(lease),
                    tagPrefix,
                    entry.value(),
                    EntryFields.version(entry.version()),
                    EntryFields.list(entry.tags()),
                    bytes(Long.toString(ttlMillis(entry))))
                .thenApply(stored -> stored == 1));
  }

  /** {@inheritDoc} One script: the token is compared and the lease deleted atomically. */
  @Override
  public CompletableFuture<Boolean> release(String cache, String key, String lease) {
    SharedKeys.requireCache(cache);
    SharedKeys.requireKey(key);
    Objects.requireNonNull(lease, "lease must not be null");
    return call(
        () ->
            release
                .<Long>run(commands, new String[] {keys.lease(cache, key)}, bytes(lease))
                .thenApply(dropped -> dropped == 1));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Refused only if a newer version is stored; an equal version replaces it. The key's lease is
   * deleted either way, so a fill that started before the put is refused.
   */
  @Override
  public CompletableFuture<Boolean> put(String cache, String key, SharedEntry entry) {
    SharedKeys.requireCache(cache);
    SharedKeys.requireKey(key);
    Objects.requireNonNull(entry, "entry must not be null");
    return callRegistered(
        cache,
        () ->
            put.<Long>run(
                    commands,
                    new String[] {keys.entry(cache, key), keys.lease(cache, key)},
                    tagPrefix,
                    entry.value(),
                    EntryFields.version(entry.version()),
                    EntryFields.list(entry.tags()),
                    bytes(Long.toString(ttlMillis(entry))))
                .thenApply(stored -> stored == 1));
  }

  /** {@inheritDoc} One UNLINK per 500 keys (entries and leases together), all sent at once. */
  @Override
  public CompletableFuture<Void> invalidate(String cache, Collection<String> keys) {
    SharedKeys.requireCache(cache);
    Objects.requireNonNull(keys, "keys must not be null");
    List<String> names = new ArrayList<>(keys.size() * 2);
    for (String key : keys) {
      SharedKeys.requireKey(key);
      names.add(this.keys.entry(cache, key));
      names.add(this.keys.lease(cache, key));
    }
    return call(
        () -> {
          List<CompletableFuture<Long>> batches = new ArrayList<>();
          for (int from = 0; from < names.size(); from += 2 * BATCH) {
            List<String> batch = names.subList(from, Math.min(names.size(), from + 2 * BATCH));
            batches.add(commands.unlink(batch.toArray(String[]::new)).toCompletableFuture());
          }
          return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new));
        });
  }

  /**
   * {@inheritDoc} One script per 500 keys, all sent at once: it reads the namespace's set of caches
   * and UNLINKs the keys' entries and leases in each.
   */
  @Override
  public CompletableFuture<Void> invalidateInEveryCache(Collection<String> keys) {
    Objects.requireNonNull(keys, "keys must not be null");
    List<byte[]> names = new ArrayList<>(keys.size());
    for (String key : keys) {
      names.add(bytes(SharedKeys.requireKey(key)));
    }
    return call(
        () -> {
          List<CompletableFuture<Long>> batches = new ArrayList<>();
          for (int from = 0; from < names.size(); from += BATCH) {
            List<byte[]> batch = names.subList(from, Math.min(names.size(), from + BATCH));
            byte[][] args = new byte[batch.size() + 1][];
            args[0] = base;
            for (int i = 0; i < batch.size(); i++) {
              args[i + 1] = batch.get(i);
            }
            batches.add(everyCacheKeys.run(commands, new String[] {this.keys.caches()}, args));
          }
          return CompletableFuture.allOf(batches.toArray(CompletableFuture[]::new));
        });
  }

  /**
   * {@inheritDoc} One script: an INCR of the namespace's generation and a SET per distinct tag;
   * entries carrying them are dropped when next looked up.
   */
  @Override
  public CompletableFuture<Void> invalidateTags(Collection<String> tags) {
    Objects.requireNonNull(tags, "tags must not be null");
    Set<String> names = new LinkedHashSet<>();
    names.add(keys.generation());
    for (String tag : tags) {
      Objects.requireNonNull(tag, "a tag must not be null");
      if (tag.isBlank()) {
        throw new IllegalArgumentException("a tag must not be blank");
      }
      names.add(keys.tag(tag));
    }
    if (names.size() == 1) {
      return CompletableFuture.completedFuture(null);
    }
    return call(
        () ->
            invalidateTags
                .<Long>run(commands, names.toArray(String[]::new))
                .thenApply(generation -> null));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The glob is core's: {@code *}, {@code ?} and {@code \} escapes, every other character
   * literal. A glob without a literal character would match every key and is refused with an {@link
   * IllegalArgumentException}; use {@link #invalidateAll}. Leases of matching keys are voided too.
   * Completes with the number of entries deleted.
   */
  @Override
  public CompletableFuture<Long> invalidatePattern(String cache, String glob) {
    SharedKeys.requireCache(cache);
    SharedKeys.requireGlob(glob);
    return call(() -> sweep(keys.entryMatch(cache, glob), keys.leaseMatch(cache, glob)));
  }

  /** {@inheritDoc} Leases too; tags, shared by the whole group, are left alone. */
  @Override
  public CompletableFuture<Void> invalidateAll(String cache) {
    SharedKeys.requireCache(cache);
    return call(() -> sweep(keys.allEntries(cache), keys.allLeases(cache)).thenApply(n -> null));
  }

  /**
   * {@inheritDoc} Reads the namespace's set of caches (SMEMBERS), then sweeps each as {@link
   * #invalidatePattern} does, all at once.
   */
  @Override
  public CompletableFuture<Long> invalidatePatternInEveryCache(String glob) {
    SharedKeys.requireGlob(glob);
    return call(
        () ->
            commands
                .smembers(keys.caches())
                .toCompletableFuture()
                .thenCompose(
                    caches -> {
                      List<CompletableFuture<Long>> sweeps = new ArrayList<>();
                      for (byte[] member : caches) {
                        String cache = new String(member, StandardCharsets.UTF_8);
                        sweeps.add(
                            sweep(keys.entryMatch(cache, glob), keys.leaseMatch(cache, glob)));
                      }
                      return CompletableFuture.allOf(sweeps.toArray(CompletableFuture[]::new))
                          .thenApply(
                              done -> sweeps.stream().mapToLong(CompletableFuture::join).sum());
                    }));
  }

  /**
   * {@inheritDoc} One sweep of the namespace's entries and leases, whichever caches they belong to:
   * it does not need the set of caches, and costs the same however many caches there are.
   */
  @Override
  public CompletableFuture<Void> invalidateEveryCache() {
    return call(() -> sweep(keys.everyEntry(), keys.everyLease()).thenApply(n -> null));
  }

  /** Sweeps leases and entries together; completes with the number of entries. */
  private CompletableFuture<Long> sweep(String entries, String leases) {
    CompletableFuture<Long> voided = KeySweep.unlinkMatching(commands, leases);
    return KeySweep.unlinkMatching(commands, entries).thenCombine(voided, (n, ignored) -> n);
  }

  /** Closes the connection; later calls complete exceptionally. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    synchronized (this) {
      closed = true;
    }
    if (owner != null) {
      owner.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdownIfOwned();
  }

  /** The resources the tier's client runs on (for tests). */
  ClientResources resources() {
    return resources.get();
  }

  @Override
  public String toString() {
    return "RedisSharedTier["
        + settings.uri().getHost()
        + ":"
        + settings.uri().getPort()
        + ", "
        + settings.keyPrefix()
        + ":{"
        + settings.namespace()
        + "}]";
  }

  /** {@link #call}, once the cache is in the namespace's set (see {@link #register}). */
  private <T> CompletableFuture<T> callRegistered(
      String cache, Supplier<CompletableFuture<T>> redisCall) {
    return call(
        () -> {
          register(cache);
          return redisCall.get();
        });
  }

  /**
   * Puts the cache into the namespace's set before its first command. A cache's first call adds it
   * (SADD), inside computeIfAbsent, which holds back other threads' first calls of the cache until
   * the SADD is dispatched: every command of the cache goes out on the connection after it, and
   * Redis runs them in that order. So no lease or entry of the cache exists before the set names
   * it. A failed SADD is sent again with the cache's next call. Call only once {@link #refusal} is
   * null.
   */
  private void register(String cache) {
    CompletableFuture<Long> added = registered.get(cache);
    if (added == null || added.isCompletedExceptionally()) {
      if (added != null) {
        registered.remove(cache, added);
      }
      registered.computeIfAbsent(
          cache, c -> commands.sadd(keys.caches(), bytes(c)).toCompletableFuture());
    }
  }

  /** Runs a call to Redis, turning whatever it throws into a failed future. */
  private <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> redisCall) {
    CompletableFuture<T> refused = refusal();
    if (refused != null) {
      return refused;
    }
    try {
      return redisCall.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Why no call can be sent now, as a failed future (closed, not attached yet); else null. */
  private <T> CompletableFuture<T> refusal() {
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the shared tier " + this + " is closed"));
    }
    if (commands == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "the shared tier " + this + " is not attached to Redis at " + where() + " yet"));
    }
    return null;
  }

  private static long requireMillis(Duration duration, String what) {
    Objects.requireNonNull(duration, what + " must not be null");
    if (duration.toMillis() < 1) {
      throw new IllegalArgumentException(what + " must be at least 1 ms, was " + duration);
    }
    return duration.toMillis();
  }

  private static long ttlMillis(SharedEntry entry) {
    return Math.max(1, entry.ttl().toMillis());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
