package io.freshcache.cli.simulate;

import io.freshcache.InProcessBus;
import io.freshcache.redis.RedisBus;
import java.util.ArrayList;
import java.util.List;

/**
 * The instances of a multi-instance run: {@link Workload#instances()} {@link Instance}s, as several
 * servers of one application sharing a bus and a database, connected by a {@link Transport}. In
 * process they share one {@link InProcessBus}, which delivers every event to every instance before
 * {@code publish} returns, so propagation is immediate: what a strategy still leaves stale there,
 * it leaves stale on any bus. Over Redis each has a {@link RedisBus} of its own, and events arrive
 * a little later.
 *
 * <p>Not thread-safe: built, used and closed by one run.
 */
final class Cluster implements AutoCloseable {

  private final Transport.Buses buses;
  private final ProductWriter writer;
  private final List<Instance> instances = new ArrayList<>();

  /**
   * Starts the {@link Workload#instances()} instances of {@code run}, each with the caches its
   * strategy configures, connected by {@code transport}.
   */
  Cluster(Run<InvalidationStrategy> run, Transport transport) {
    int size = run.workload().instances();
    this.writer = new ProductWriter(run.database());
    this.buses = transport.connect(run.strategy().label(), size);
    try {
      for (int i = 0; i < size; i++) {
        instances.add(new Instance(run, writer, buses, i));
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
   * Closes every instance, flushing what write-behind still holds, then the buses (which flush
   * their publishes and remove what they left on Redis). Every instance is closed even if one
   * fails; the first failure is thrown with the others suppressed.
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
    try {
      buses.close();
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
