package io.freshcache.cli.simulate;

import io.freshcache.InProcessBus;
import io.freshcache.spi.InvalidationBus;

/**
 * How the instances of a multi-instance run reach each other: the bus each instance's group is
 * attached to. One transport serves every run of a simulation; each run {@link #connect}s its own
 * instances, in a namespace of its own, and closes them when it ends.
 *
 * <p>{@link #IN_PROCESS} attaches every instance to one {@link InProcessBus}, which delivers an
 * event to every instance before {@code publish} returns; {@link RedisTransport} gives each
 * instance a bus of its own on Redis, as separate processes would have, so events arrive later.
 */
interface Transport {

  /** One in-process bus per run, shared by its instances: immediate, in-order delivery. */
  Transport IN_PROCESS =
      new Transport() {
        @Override
        public String redis() {
          return null;
        }

        @Override
        public Buses connect(String run, int instances) {
          InProcessBus bus = new InProcessBus();
          return new Buses() {
            @Override
            public String namespace() {
              return "simulate";
            }

            @Override
            public InvalidationBus bus(int instance) {
              return bus;
            }

            @Override
            public void close() {
              bus.close();
            }
          };
        }
      };

  /** Where the instances' Redis is, as {@code host:port} (never a password); null in process. */
  String redis();

  /**
   * The buses of one run's {@code instances} instances, in a namespace no other run uses.
   *
   * @param run what runs on them, e.g. the strategy's label: a part of the namespace
   * @throws RuntimeException if a bus cannot be built (Redis went away); nothing is left open
   */
  Buses connect(String run, int instances);

  /** The buses of one run; not thread-safe. */
  interface Buses extends AutoCloseable {

    /** The namespace every instance's group must use. */
    String namespace();

    /** The bus of instance {@code instance}, from 0. */
    InvalidationBus bus(int instance);

    /**
     * Closes every bus, flushing what they still publish, and removes what they left behind. Call
     * it once the instances' groups are closed.
     */
    @Override
    void close();
  }
}
