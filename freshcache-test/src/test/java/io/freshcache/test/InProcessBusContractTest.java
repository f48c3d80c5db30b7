package io.freshcache.test;

import io.freshcache.InProcessBus;
import io.freshcache.spi.InvalidationBus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bus kit over the in-process bus: every "connection" of a namespace is the one bus, as every
 * group of one JVM shares it. It never loses a message, so the loss test is skipped, and it never
 * bounds trust, so the trust test is too.
 */
class InProcessBusContractTest extends BusContractKit {

  private final Map<String, InProcessBus> buses = new ConcurrentHashMap<>();

  @Override
  protected InvalidationBus connect(String namespace) {
    return buses.computeIfAbsent(namespace, n -> new InProcessBus());
  }
}
