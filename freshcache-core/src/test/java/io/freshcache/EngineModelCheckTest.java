package io.freshcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * The engine model-checked: Lincheck runs small concurrent scenarios of reads (a miss loads from
 * the source and fills, through the single and the batched path; a hit may refresh ahead), writes
 * to the source followed by an invalidation, write-through puts and a clear of everything, explores
 * their interleavings, and requires every execution to match one sequential order of a plain
 * register per key: the cache is invisible. That is the contract: no stale fill (a load that read
 * the source before an invalidation never serves its old value to a read that starts after it) and
 * read-your-writes.
 *
 * <p>Row 0 is written behind the cache's back (the source, then {@code invalidate} or {@code
 * invalidateAll}) and also through it ({@code putZero}); row 1 through the cache only
 * (write-through {@code put}). The row written both ways is the race this checker found: a
 * write-through put whose source write landed before a concurrent outside write, and whose cache
 * store landed after that write's invalidation, left the cache holding the put's value while the
 * source held the other ({@code putZero(6) || write(3); writeAndClear(8); get(0)} returned 6 with
 * the row at 8). A put invalidated while its writer runs now stores nothing ({@code
 * WriteThroughRaceTest}).
 *
 * <p>The second test removes the lease check (the one guard a fill has against a single-key
 * invalidation) and requires Lincheck to find the stale fill, so the first test can fail. Caffeine,
 * {@code ConcurrentHashMap}, the stats' adders and logging are treated as atomic (they are
 * linearizable; their internals would only multiply the interleavings): the switch points are
 * freshcache's own.
 */
class EngineModelCheckTest {

  /**
   * The races by name, each explored over many interleavings: a miss loading while the writer
   * changes the row and invalidates (or puts, or clears everything), through the single and the
   * batched path, and a hit's refresh-ahead racing an invalidation. The read after the write in the
   * same thread, and the reads after the parallel part, must see the new row.
   */
  private static List<ExecutionScenario> races() throws NoSuchMethodException {
    return List.of(
        scenario(List.of(), List.of(call("get", 0)), List.of(call("write", 1), call("get", 0))),
        scenario(
            List.of(), List.of(call("getAll", 0)), List.of(call("write", 2), call("getAll", 0))),
        scenario(List.of(), List.of(call("get", 1)), List.of(call("put", 4), call("get", 1))),
        scenario(
            List.of(), List.of(call("get", 0)), List.of(call("writeAndClear", 7), call("get", 0))),
        scenario(
            List.of(call("get", 0)), // filled: the next hit refreshes ahead
            List.of(call("get", 0)),
            List.of(call("write", 3), call("get", 0))),
        scenario(
            List.of(),
            List.of(call("putZero", 6)),
            List.of(call("write", 3), call("writeAndClear", 8))));
  }

  private static ExecutionScenario scenario(
      List<Actor> before, List<Actor> first, List<Actor> second) throws NoSuchMethodException {
    return new ExecutionScenario(
        before, List.of(first, second), List.of(call("get", 0), call("get", 1)), null);
  }

  private static Actor call(String operation, Object... args) throws NoSuchMethodException {
    Class<?>[] types = new Class<?>[args.length];
    Arrays.fill(types, int.class);
    return new Actor(
        Engine.class.getMethod(operation, types), List.of(args), false, false, false, false, false);
  }

  /** The named races, then {@code randomScenarios} generated ones. */
  private static ModelCheckingOptions options(int randomScenarios) throws NoSuchMethodException {
    ModelCheckingOptions options =
        new ModelCheckingOptions()
            .iterations(randomScenarios)
            .invocationsPerIteration(400)
            .threads(2)
            .actorsPerThread(3)
            .actorsBefore(1)
            .actorsAfter(1)
            .minimizeFailedScenario(false)
            .sequentialSpecification(Register.class)
            .addGuarantee(
                ManagedStrategyGuaranteeKt.forClasses(
                        name ->
                            name.startsWith("com.github.benmanes.caffeine.")
                                || name.startsWith("java.util.concurrent.ConcurrentHashMap")
                                || name.startsWith("java.util.concurrent.atomic.LongAdder")
                                || name.startsWith("java.util.concurrent.atomic.Striped64")
                                || name.startsWith("org.slf4j."))
                    .allMethods()
                    .treatAsAtomic());
    for (ExecutionScenario race : races()) {
      options.addCustomScenario(race);
    }
    return options;
  }

  @Test
  void everyInterleavingMatchesASequentialOrderOfTheSource() throws Exception {
    options(2).check(Engine.class);
  }

  @Test
  void withoutTheLeaseCheckTheCheckerFindsTheStaleFill() throws Exception {
    ModelCheckingOptions options = options(0);
    Flight.leaseCheckRemoved = true;
    try {
      assertThatThrownBy(() -> options.check(Engine.class))
          .isInstanceOf(AssertionError.class)
          .satisfies(
              failure ->
                  assertThat(failure.getMessage())
                      .as("Lincheck's report")
                      .contains("Invalid execution results"));
    } finally {
      Flight.leaseCheckRemoved = false;
    }
  }

  /** A ticker that moves 1 ms at every read, so entries age, refresh ahead and expire. */
  static final class SteppingTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long read() {
      return nanos.addAndGet(1_000_000L);
    }
  }

  /**
   * The system under test: one cache over a two-row source, built anew for every execution. Loads
   * and refreshes run on the calling thread, so every step is one Lincheck can schedule.
   */
  @Param.Params({
    @Param(name = "key", gen = IntGen.class, conf = "0:1"),
    @Param(name = "written", gen = IntGen.class, conf = "1:3"),
    @Param(name = "put", gen = IntGen.class, conf = "4:6"),
    @Param(name = "cleared", gen = IntGen.class, conf = "7:8")
  })
  public static final class Engine {
    private final AtomicIntegerArray rows = new AtomicIntegerArray(2);
    private final FreshCache<Integer, Integer> cache =
        FreshCache.builder("model", Integer.class, Integer.class)
            .ticker(new SteppingTicker())
            .executor(Runnable::run)
            .expiry(Expiry.ttl(Duration.ofMillis(40)))
            .refresh(Refresh.ahead(0.05))
            .source(rows::get)
            .writes(Writes.through(rows::set))
            .build();

    /** A read: a hit (perhaps refreshing), or a miss that loads and fills. */
    @Operation
    public int get(@Param(name = "key") int key) {
      return cache.get(key);
    }

    /**
     * A read through the batched path (one key: a batch is not a snapshot of several keys, each is
     * read on its own).
     */
    @Operation
    public int getAll(@Param(name = "key") int key) {
      return cache.getAll(List.of(key)).get(key);
    }

    /** The cache-aside writer on row 0: the source first, then the invalidation. */
    @Operation
    public void write(@Param(name = "written") int value) {
      rows.set(0, value);
      cache.invalidate(0);
    }

    /** A write-through put on row 1: the source, then the cache. */
    @Operation
    public void put(@Param(name = "put") int value) {
      cache.put(1, value);
    }

    /** Row 0 changed behind the cache, then everything invalidated. */
    @Operation
    public void writeAndClear(@Param(name = "cleared") int value) {
      rows.set(0, value);
      cache.invalidateAll();
    }

    /** A write-through put on row 0, which is also written behind the cache. */
    @Operation
    public void putZero(@Param(name = "put") int value) {
      cache.put(0, value);
    }
  }

  /** The sequential specification: the cache is invisible, every read returns the source's row. */
  public static final class Register {
    private final int[] rows = new int[2];

    public int get(int key) {
      return rows[key];
    }

    public int getAll(int key) {
      return rows[key];
    }

    public void write(int value) {
      rows[0] = value;
    }

    public void put(int value) {
      rows[1] = value;
    }

    public void writeAndClear(int value) {
      rows[0] = value;
    }

    public void putZero(int value) {
      rows[0] = value;
    }
  }
}
