/**
 * {@code freshcache simulate}: one workload replayed against every caching strategy, and a report
 * of what each costs and buys. Only {@link io.freshcache.cli.simulate.SimulateCommand} is public,
 * for {@code Main}.
 *
 * <p>Two workloads. The <b>domain</b> workload (the default): {@code SimulateCommand} turns the
 * options into a {@code DomainWorkload} over a {@code Domain} (sizes and relations of the {@code
 * Entity} kinds), whose {@code DomainOps} are drawn from the seed or read from a {@code TraceFile};
 * a {@code DomainSimulation} runs each {@code Scenario} (an {@code EntityStrategy} per entity) as a
 * {@code DomainReplay} on {@code DomainInstance}s over a {@code DomainDatabase} (H2 or a JDBC URL),
 * in process or over Redis ({@code RedisFleet}, paced to real time). Reads are judged by {@code
 * Truth}; each entity's {@code EntityMeter} becomes an {@code EntityResult} of a {@code
 * ScenarioResult}; {@code Recommendation} picks from the trade-off frontier; {@code DomainTable},
 * {@code DomainJson} and {@code HtmlReport} print them ({@code Format} for every number, {@code
 * DomainRunInfo} for what every report says about the run).
 *
 * <p>The <b>products</b> workload ({@code --workload products}), one table compared by strategy:
 * {@code SimulateCommand} turns the options into a {@code Workload}, refuses a run too big for the
 * heap ({@code MemoryEstimate}), and hands the strategies to a {@code Simulator}, whose {@code
 * run(Strategy)} is the loop over the trace. What lives here:
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
