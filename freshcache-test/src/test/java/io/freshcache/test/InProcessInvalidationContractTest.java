package io.freshcache.test;

import io.freshcache.InProcessBus;
import io.freshcache.spi.InvalidationBus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The kit over the in-process bus: four group instances in one JVM stand for four servers. */
class InProcessInvalidationContractTest extends InvalidationContractKit {

  private final Map<String, InProcessBus> buses = new ConcurrentHashMap<>();

  @Override
  protected InvalidationBus connect(String namespace) {
    return buses.computeIfAbsent(namespace, n -> new InProcessBus());
  }
}
