package io.freshcache.cli;

import io.freshcache.InProcessBus;
import java.util.ArrayList;
import java.util.List;

/**
 * The instances of a multi-instance run: {@code size} {@link Instance}s attached to one {@link
 * InProcessBus}, as several servers of one application sharing a bus and a database. The bus
 * delivers every event to every instance before {@code publish} returns, so propagation is
 * immediate: what a strategy still leaves stale here, it leaves stale on any bus.
 *
 * <p>Not thread-safe: built, used and closed by one run.
 */
final class Cluster implements AutoCloseable {

  private final InProcessBus bus = new InProcessBus();
  private final ProductWriter writer;
  private final List<Instance> instances = new ArrayList<>();

  /**
   * Starts {@code size} instances, {@code instance-1} to {@code instance-<size>}, each with the
   * caches {@code strategy} configures.
   */
  Cluster(
      int size,
      InvalidationStrategy strategy,
      ProductDatabase database,
      ProductSource source,
      VirtualClock clock) {
    if (size < 1) {
      throw new IllegalArgumentException("a cluster needs at least one instance, was " + size);
    }
    this.writer = new ProductWriter(database);
    try {
      for (int i = 1; i <= size; i++) {
        instances.add(
            new Instance("instance-" + i, bus, strategy, database, source, writer, clock));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The number of instances. */
  int size() {
    return instances.size();
  }

  /** Instance {@code index}, from 0. */
  Instance instance(int index) {
    return instances.get(index);
  }

  /** Every instance, in order. */
  List<Instance> instances() {
    return List.copyOf(instances);
  }

  /** The writer shared by the instances' write policies. */
  ProductWriter writer() {
    return writer;
  }

  /**
   * Closes every instance, flushing what write-behind still holds, then the bus. Every instance is
   * closed even if one fails; the first failure is thrown with the others suppressed.
   */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (Instance instance : instances) {
      try {
        instance.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    bus.close();
    if (failure != null) {
      throw failure;
    }
  }
}
