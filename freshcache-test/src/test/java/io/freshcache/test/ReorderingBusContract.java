package io.freshcache.test;

import io.freshcache.spi.InvalidationBus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bus kit over {@link ReorderingBus}. Not a test of its own (its name does not end in Test):
 * {@link BusContractKitCatchesBrokenBusesTest} runs it and expects failures.
 */
public class ReorderingBusContract extends BusContractKit {

  private final Map<String, ReorderingBus> buses = new ConcurrentHashMap<>();

  @Override
  protected InvalidationBus connect(String namespace) {
    return buses.computeIfAbsent(namespace, n -> new ReorderingBus());
  }
}
