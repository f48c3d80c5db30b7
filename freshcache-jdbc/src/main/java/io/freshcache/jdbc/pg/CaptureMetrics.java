package io.freshcache.jdbc.pg;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;

/** The capture's meters on Micrometer; loaded only when a registry is given. */
final class CaptureMetrics {

  private CaptureMetrics() {}

  static AutoCloseable bind(Object registryObject, String slot, PgChangeCapture capture) {
    MeterRegistry registry = (MeterRegistry) registryObject;
    List<Meter> meters =
        List.of(
            Gauge.builder("freshcache.cdc.retained.wal", capture, c -> c.retainedWalBytes())
                .tag("slot", slot)
                .baseUnit("bytes")
                .description("WAL the replication slot holds back on the server")
                .register(registry),
            Gauge.builder("freshcache.cdc.leader", capture, c -> c.isLeader() ? 1 : 0)
                .tag("slot", slot)
                .description("1 while this instance consumes the slot")
                .register(registry),
            FunctionCounter.builder("freshcache.cdc.transactions", capture, c -> c.transactions())
                .tag("slot", slot)
                .description("committed transactions whose invalidations the bus accepted")
                .register(registry),
            FunctionCounter.builder("freshcache.cdc.losses", capture, c -> c.losses())
                .tag("slot", slot)
                .description("missing or unresumable slots, each handled by a clear")
                .register(registry));
    return () -> meters.forEach(registry::remove);
  }
}
