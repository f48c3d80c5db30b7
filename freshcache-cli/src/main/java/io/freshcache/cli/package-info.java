/**
 * The {@code freshcache} command-line tool. {@link io.freshcache.cli.Main} is its entry point and
 * the only public type; everything else is package-private.
 *
 * <p>{@code freshcache simulate} lives here: the command ({@code SimulateCommand}, which refuses a
 * run too big for the heap by its {@code MemoryEstimate}), the workload and its trace ({@code
 * Workload}, {@code Trace}, {@code ZipfSampler}; {@code Seeds} derives every random stream from the
 * seed), the simulated world ({@code VirtualClock}, the H2-backed {@code ProductDatabase} with its
 * {@code Categories}, {@code ProductSource}, {@code ProductWriter}, {@code RefreshExecutor}), the
 * strategy catalogue ({@code Strategy}: {@code TimeStrategy} and {@code InvalidationStrategy}), the
 * runs ({@code Simulator} on one cache; {@code ClusterReplay} on a {@code Cluster} of {@code
 * Instance}s connected by a {@code Transport}, one in-process bus or, with {@code --redis}, a
 * {@code RedisTransport} giving each instance a RedisBus of its own, with {@code CategorySummary}
 * as their derived values) and the reports ({@code StrategyResult}, {@code ClusterStats}, {@code
 * TableReport}, {@code JsonReport}).
 *
 * <p>{@code freshcache watch} and {@code freshcache invalidate} talk to Redis: {@code WatchCommand}
 * subscribes to {@code cache:invalidation:*} with a plain Lettuce connection and prints what any
 * publisher sends ({@code WireEvent} decodes the wire format for display, {@code EventLine} lays it
 * out); {@code InvalidateCommand} publishes through a {@code CacheGroup} on an {@code
 * io.freshcache.redis.RedisBus} and waits until its own event comes back.
 *
 * <p>This package uses only the public API of {@code io.freshcache} and {@code io.freshcache.redis}
 * (plus Caffeine's {@code Ticker}, which that API takes, and Lettuce for watching); it never
 * reaches into the libraries' internals.
 */
package io.freshcache.cli;
