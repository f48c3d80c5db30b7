/**
 * The contract kits: abstract JUnit 5 test classes that state, once, what a bus or a shared tier
 * must do, for every implementation to subclass. Add {@code freshcache-test} as a test dependency
 * and extend the kits that apply.
 *
 * <h2>Where to start</h2>
 *
 * <ul>
 *   <li>{@link io.freshcache.test.BusContractKit}: the {@link io.freshcache.spi.InvalidationBus}
 *       contract on its own, no cache involved. Start here with a new bus: its failures name the
 *       promise broken (order, fan-out, the publish future, closed subscriptions, losses, trust
 *       deadlines, message size and bytes).
 *   <li>{@link io.freshcache.test.SharedTierContractKit}: the {@link io.freshcache.spi.SharedTier}
 *       contract on its own: leases and fills, release, puts, versions, invalidation of keys, tags,
 *       patterns, whole caches and every cache of a namespace, bad arguments.
 *   <li>{@link io.freshcache.test.InvalidationContractKit}: a fleet of four cache groups over one
 *       database on the bus (and the tier, if given): every invalidation kind, domain events,
 *       signed and unsigned updates, bad input, the stale-fill race and the write policies, end to
 *       end. Run it once the two kits above pass.
 * </ul>
 *
 * <h2>How a new bus subclasses the kits</h2>
 *
 * <p>As {@code freshcache-redis} runs the bus kit over {@code RedisBus} ({@code
 * RedisStreamBusContractIT}, shortened here; it compiles and runs as written there):
 *
 * <pre>{@code
 * class RedisStreamBusContractIT extends BusContractKit {
 *   protected InvalidationBus connect(String namespace) {  // one new connection, one "process"
 *     return RedisBus.builder(URI, namespace).keyPrefix("fctest").channelDelivery(false).build();
 *   }
 *   protected boolean induceLoss(InvalidationBus bus) {    // optional; false (the default)
 *     StreamLoss.induce((RedisBus) bus, List.of(URI));     // skips the loss test
 *     return true;
 *   }
 *   @AfterEach
 *   void deleteTheLog() {                                  // what the namespace left behind
 *     RedisTestSupport.deleteMatching("fctest:{" + namespace() + "}:*");
 *   }
 * }
 * }</pre>
 *
 * <p>The fleet kit takes the same {@code connect}: {@code RedisInvalidationContractIT}.
 *
 * <p>A tier does the same with {@link io.freshcache.test.SharedTierContractKit#connect} and, for
 * the fleet, {@link io.freshcache.test.InvalidationContractKit#sharedTier}. Every kit gives each
 * test a namespace of its own and closes what {@code connect} returned after it; a subclass on a
 * shared server deletes what the namespace left behind in an {@code @AfterEach} of its own. Waits
 * are bounded ({@code timeout()}, or the fleet kit's {@code eventually}), never sleeps; override
 * them for a slow bus.
 *
 * <h2>What lives here, and what does not</h2>
 *
 * <p>Here: the kits and what they need to run, {@link io.freshcache.test.KitDatabase} and {@link
 * io.freshcache.test.KitInstance} (the fleet kit's source of truth and application instance), and
 * fixtures for a bus's own fault tests: {@link io.freshcache.test.TcpProxy} (cut the network
 * between a bus and its server), {@link io.freshcache.test.RecordingReceiver} (what a bus
 * delivered, in order; optionally a slow consumer) and {@link io.freshcache.test.StalenessHistory}
 * (every read of a key judged against the staleness bound, also across a writer cut off); and
 * {@link io.freshcache.test.KafkaBroker}, a real single-node Kafka broker in a JVM of its own, for
 * the Kafka bus's tests and the propagation harness (it needs {@code kafka-clients} and the
 * broker's jars, which its user brings). Not here: fixtures for unit tests of the in-process tier
 * (fake clocks, manual executors), which stay in freshcache-core's own tests; server-specific
 * checks (key layout, scripts, command counts, expiry measured on the server), which each
 * implementation keeps in its own tests. The kits depend on freshcache-core's public API and SPI
 * only, and on JUnit 5, AssertJ and Awaitility.
 */
package io.freshcache.test;
