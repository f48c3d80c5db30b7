package io.freshcache;

/**
 * An immutable snapshot of one group instance's bus traffic.
 *
 * @param published events this instance published
 * @param received events that arrived from the bus, this instance's own excluded
 * @param applied received events that were applied to the caches
 * @param malformed messages refused as not being valid events (each changed nothing)
 * @param foreign events of another namespace, ignored
 * @param handlerFailures handler calls that threw (each changed nothing)
 * @param cascaded entries invalidated because they were derived from an invalidated key
 * @param losses times the bus reported that messages may have been lost (each cleared every cache
 *     of this instance)
 * @param suspensions times local hits were suspended because the bus could not vouch it was caught
 *     up within its staleness bound
 * @param sharedHits local misses answered by the shared tier (no source load)
 * @param sharedFailures calls to the shared tier that failed or timed out (reads then went to the
 *     source; writes and invalidations went on here)
 * @param sharedUnencodable loaded values the value codec could not encode, or whose class does not
 *     decode what it encodes (the round-trip check of {@link ValueCodec}): served, not shared
 * @param live whether local hits are allowed now (the bus's last word still holds)
 * @param lag publish-to-applied lag of events from other freshcache instances
 * @param outboxDepth invalidations made here that wait for Redis (tier changes and events), in
 *     order
 * @param outboxOverflows times the outbox overflowed and was replaced by one invalidation of every
 *     cache of the group, sent to every instance once Redis answered
 * @param outboxDelivered invalidations that waited in the outbox and then reached Redis
 * @param sharedSkipped shared-tier calls not made because its circuit breaker was open (reads went
 *     to the source, tier changes to the outbox)
 * @param sharedBreakerOpen whether the shared tier's circuit breaker is open now
 * @param publishFailures publishes the bus could not take (each was kept in the outbox and sent
 *     again)
 * @param forged events whose {@code sig} field did not verify under this group's {@link EventKeys}
 *     (each changed nothing)
 * @param downgraded events applied as plain invalidations: unsigned (or any, without keys) events
 *     whose values or versions were dropped, and signed ones whose version jumped more than {@link
 *     CacheGroupBuilder#maxVersionStep} above what this instance knew
 */
public record GroupStats(
    long published,
    long received,
    long applied,
    long malformed,
    long foreign,
    long handlerFailures,
    long cascaded,
    long losses,
    long suspensions,
    long sharedHits,
    long sharedFailures,
    long sharedUnencodable,
    boolean live,
    PropagationLag lag,
    int outboxDepth,
    long outboxOverflows,
    long outboxDelivered,
    long sharedSkipped,
    boolean sharedBreakerOpen,
    long publishFailures,
    long forged,
    long downgraded) {}
