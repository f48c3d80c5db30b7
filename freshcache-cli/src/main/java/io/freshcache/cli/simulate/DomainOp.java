package io.freshcache.cli.simulate;

/**
 * One operation of the domain workload, at a moment of virtual time: a read or a single-key write
 * of an entity's key, or a bulk event. Immutable.
 *
 * @param nanos when it happens, virtual nanoseconds from the start
 * @param kind what it is
 * @param entity the entity read or written; for an event, the entity whose rows it rewrites
 * @param bulk the bulk event; {@code null} for a read or write
 * @param index the key (1-based) read or written, or the event's target (category, warehouse,
 *     region)
 * @param version for a write of a recorded trace, the version it sets; 0 for the next one
 */
record DomainOp(long nanos, Kind kind, Entity entity, Bulk bulk, int index, long version) {

  /** What an operation does. */
  enum Kind {
    READ,
    WRITE,
    EVENT
  }

  static DomainOp read(long nanos, Entity entity, int index) {
    return new DomainOp(nanos, Kind.READ, entity, null, index, 0);
  }

  static DomainOp write(long nanos, Entity entity, int index, long version) {
    return new DomainOp(nanos, Kind.WRITE, entity, null, index, version);
  }

  static DomainOp event(long nanos, Bulk bulk, int target) {
    return new DomainOp(nanos, Kind.EVENT, bulk.rows(), bulk, target, 0);
  }
}
