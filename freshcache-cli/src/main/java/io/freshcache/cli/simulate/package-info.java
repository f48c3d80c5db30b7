/**
 * {@code freshcache simulate}: one workload replayed against every caching strategy, and a report
 * of what each costs and buys. Only {@link io.freshcache.cli.simulate.SimulateCommand} is public,
 * for {@code Main}.
 *
 * <p>Where to start: {@code SimulateCommand} turns the options into a {@code Workload}, refuses a
 * run too big for the heap ({@code MemoryEstimate}), and hands the strategies to a {@code
 * Simulator}, whose {@code run(Strategy)} is the loop over the trace. What lives here:
 *
 * <ul>
 *   <li>the workload: {@code Workload} (the options, validated), {@code Trace} (its operations,
 *       drawn once), {@code ZipfSampler}, and {@code Seeds}, from which every random stream comes;
 *   <li>the simulated world: {@code VirtualClock}, the H2 {@code ProductDatabase} of {@code
 *       Product}s and their {@code Categories}, the caches' {@code ProductSource} (which can be
 *       down) and {@code ProductWriter}, and {@code RefreshExecutor}, which runs background reloads
 *       between two operations;
 *   <li>the strategies: {@code Strategy}, sealed over {@code TimeStrategy} (expiry and refresh on
 *       one cache) and {@code InvalidationStrategy} (a write path and how the other instances hear
 *       of it);
 *   <li>the runs: {@code Run}, the state of one strategy's run (strategy, workload, trace,
 *       database, clock, source); the time-based replay in {@code Simulator}, the multi-instance
 *       one in {@code ClusterReplay} on a {@code Cluster} of {@code Instance}s, connected by a
 *       {@code Transport} (one in-process bus, or a {@code RedisTransport} with a bus per
 *       instance); {@code CategorySummary} is the dependency strategy's derived value;
 *   <li>the results and reports: {@code StrategyResult}, sealed over {@code TimeResult} and {@code
 *       ClusterResult} (with its {@code ClusterStats}), each with the {@code Measurements} every
 *       run has; {@code TableReport} and {@code JsonReport} print them.
 * </ul>
 *
 * <p>Not here: option parsing shared with other commands ({@code io.freshcache.cli}); anything of
 * the library's internals: the simulation configures caches through the public API only.
 */
package io.freshcache.cli.simulate;
