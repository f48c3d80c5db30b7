package io.freshcache.bench;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCache;
import io.freshcache.Tags;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What {@link CacheGroup#invalidateTag} costs as the number of entries carrying the tag grows from
 * 1 to 1,000,000 (the target: it must not grow). One cache in a group without a bus, so only the
 * in-process work is measured.
 *
 * <p>Two measurements, because one alone could mislead. {@link #invalidateTag} repeats the call on
 * the same entries and reports the average: the steady cost. But after its first call every entry
 * is already invalidated, so an implementation that removed entries eagerly would pay once and then
 * look flat too. {@link #invalidateTagAfterFill} therefore times a single call per iteration, each
 * on entries freshly put with the tag, all of them live.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class TagInvalidationBenchmark {

  static final String TAG = "t";
  private static final Tags TAGGED = Tags.of(TAG);
  private static final int PROBE = -1;

  /** A cache holding {@code taggedEntries} entries tagged {@value #TAG} and one untagged probe. */
  @State(Scope.Benchmark)
  public static class TaggedCache {

    @Param({"1", "1000", "1000000"})
    int taggedEntries;

    CacheGroup group;
    FreshCache<Integer, String> cache;

    @Setup(Level.Trial)
    public void setUp() {
      group = CacheGroup.builder("bench").build();
      cache = group.cache("bench", Integer.class, String.class).build();
      fill();
      cache.put(PROBE, "probe");
    }

    /** Puts every tagged entry (again): all of them live, whatever was invalidated before. */
    void fill() {
      for (int i = 0; i < taggedEntries; i++) {
        cache.put(i, "v", TAGGED);
      }
      if (cache.getIfPresent(taggedEntries - 1) == null) {
        throw new IllegalStateException("the last tagged entry is missing after the fill");
      }
    }

    /** Fails the run unless the tagged entries are gone and the untagged probe stayed. */
    void check() {
      if (cache.getIfPresent(0) != null) {
        throw new IllegalStateException("a tagged entry survived invalidateTag");
      }
      if (!"probe".equals(cache.getIfPresent(PROBE))) {
        throw new IllegalStateException("the untagged probe was invalidated with the tag");
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      check();
      group.close();
    }
  }

  /** The same cache, refilled before every iteration so that the measured call meets live tags. */
  @State(Scope.Benchmark)
  public static class FreshlyTaggedCache extends TaggedCache {

    @Setup(Level.Iteration)
    public void refill() {
      // A single-shot iteration runs the method once: compile its path beforehand on a tag that
      // no entry carries, so the shot measures compiled code rather than the interpreter.
      for (int i = 0; i < 20_000; i++) {
        group.invalidateTag("warm-up");
      }
      fill();
      // Garbage from the fill should not be collected during the one timed call.
      System.gc();
    }

    @TearDown(Level.Iteration)
    public void checkIteration() {
      check();
    }
  }

  @Benchmark
  public void invalidateTag(TaggedCache state) {
    state.group.invalidateTag(TAG);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  public void invalidateTagAfterFill(FreshlyTaggedCache state) {
    state.group.invalidateTag(TAG);
  }
}
