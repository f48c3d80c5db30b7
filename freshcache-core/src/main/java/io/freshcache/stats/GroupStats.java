package io.freshcache.stats;

import io.freshcache.event.EventKeys;

/**
 * An immutable snapshot of one group instance's bus traffic and of its links to Redis. A final
 * class rather than a record, so that a counter can be added without breaking anyone: build one
 * with {@link #builder()}.
 */
public final class GroupStats {

  private final long published;
  private final long received;
  private final long applied;
  private final long malformed;
  private final long foreign;
  private final long handlerFailures;
  private final long cascaded;
  private final long losses;
  private final long suspensions;
  private final long sharedHits;
  private final long sharedFailures;
  private final long sharedUnencodable;
  private final boolean live;
  private final PropagationLag lag;
  private final int outboxDepth;
  private final int inFlight;
  private final long outboxOverflows;
  private final long outboxDelivered;
  private final long sharedSkipped;
  private final boolean sharedBreakerOpen;
  private final long publishFailures;
  private final long forged;
  private final long downgraded;

  private GroupStats(Builder b) {
    this.published = b.published;
    this.received = b.received;
    this.applied = b.applied;
    this.malformed = b.malformed;
    this.foreign = b.foreign;
    this.handlerFailures = b.handlerFailures;
    this.cascaded = b.cascaded;
    this.losses = b.losses;
    this.suspensions = b.suspensions;
    this.sharedHits = b.sharedHits;
    this.sharedFailures = b.sharedFailures;
    this.sharedUnencodable = b.sharedUnencodable;
    this.live = b.live;
    this.lag = b.lag;
    this.outboxDepth = b.outboxDepth;
    this.inFlight = b.inFlight;
    this.outboxOverflows = b.outboxOverflows;
    this.outboxDelivered = b.outboxDelivered;
    this.sharedSkipped = b.sharedSkipped;
    this.sharedBreakerOpen = b.sharedBreakerOpen;
    this.publishFailures = b.publishFailures;
    this.forged = b.forged;
    this.downgraded = b.downgraded;
  }

  /** A builder with every counter at zero, {@code live} false and no lag recorded. */
  public static Builder builder() {
    return new Builder();
  }

  /** Events this instance published. */
  public long published() {
    return published;
  }

  /** Events that arrived from the bus, this instance's own excluded. */
  public long received() {
    return received;
  }

  /** Received events that were applied to the caches. */
  public long applied() {
    return applied;
  }

  /** Messages refused as not being valid events (each changed nothing). */
  public long malformed() {
    return malformed;
  }

  /** Events of another namespace, ignored. */
  public long foreign() {
    return foreign;
  }

  /** Handler calls that threw (each changed nothing). */
  public long handlerFailures() {
    return handlerFailures;
  }

  /** Entries invalidated because they were derived from an invalidated key. */
  public long cascaded() {
    return cascaded;
  }

  /**
   * Times the bus reported that messages may have been lost (each cleared every cache of this
   * instance).
   */
  public long losses() {
    return losses;
  }

  /**
   * Times local hits were suspended because the bus could not vouch it was caught up within its
   * staleness bound.
   */
  public long suspensions() {
    return suspensions;
  }

  /** Local misses answered by the shared tier (no source load). */
  public long sharedHits() {
    return sharedHits;
  }

  /**
   * Calls to the shared tier that failed or timed out (reads then went to the source; writes and
   * invalidations went on here).
   */
  public long sharedFailures() {
    return sharedFailures;
  }

  /**
   * Loaded values the value codec could not encode, or whose class does not decode what it encodes
   * (the round-trip check of {@link io.freshcache.ValueCodec}): served, not shared.
   */
  public long sharedUnencodable() {
    return sharedUnencodable;
  }

  /** Whether local hits are allowed now (the bus's last word still holds). */
  public boolean live() {
    return live;
  }

  /** Publish-to-applied lag of events from other freshcache instances. */
  public PropagationLag lag() {
    return lag;
  }

  /** Invalidations made here that wait for Redis (tier changes and events), in order. */
  public int outboxDepth() {
    return outboxDepth;
  }

  /**
   * Events sent straight to the bus (nothing waited in the outbox) that the bus has not confirmed
   * yet: for a round trip while Redis answers, then confirmed, or moved into the outbox if the bus
   * failed them. In the default mode a crash loses these and what waits in the outbox; outbox
   * markers record both.
   */
  public int inFlight() {
    return inFlight;
  }

  /**
   * Times the outbox overflowed and was replaced by one invalidation of every cache of the group,
   * sent to every instance once Redis answered.
   */
  public long outboxOverflows() {
    return outboxOverflows;
  }

  /** Invalidations that waited in the outbox and then reached Redis. */
  public long outboxDelivered() {
    return outboxDelivered;
  }

  /**
   * Shared-tier calls not made because its circuit breaker was open (reads went to the source, tier
   * changes to the outbox).
   */
  public long sharedSkipped() {
    return sharedSkipped;
  }

  /** Whether the shared tier's circuit breaker is open now. */
  public boolean sharedBreakerOpen() {
    return sharedBreakerOpen;
  }

  /** Publishes the bus could not take (each was kept in the outbox and sent again). */
  public long publishFailures() {
    return publishFailures;
  }

  /**
   * Events whose {@code sig} field did not verify under this group's {@link EventKeys} (each
   * changed nothing).
   */
  public long forged() {
    return forged;
  }

  /**
   * Events applied as plain invalidations: unsigned (or any, without keys) events whose values or
   * versions were dropped, and signed ones whose version jumped more than {@link
   * io.freshcache.CacheGroupBuilder#maxVersionStep} above what this instance knew.
   */
  public long downgraded() {
    return downgraded;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof GroupStats o
        && published == o.published
        && received == o.received
        && applied == o.applied
        && malformed == o.malformed
        && foreign == o.foreign
        && handlerFailures == o.handlerFailures
        && cascaded == o.cascaded
        && losses == o.losses
        && suspensions == o.suspensions
        && sharedHits == o.sharedHits
        && sharedFailures == o.sharedFailures
        && sharedUnencodable == o.sharedUnencodable
        && live == o.live
        && lag.equals(o.lag)
        && outboxDepth == o.outboxDepth
        && inFlight == o.inFlight
        && outboxOverflows == o.outboxOverflows
        && outboxDelivered == o.outboxDelivered
        && sharedSkipped == o.sharedSkipped
        && sharedBreakerOpen == o.sharedBreakerOpen
        && publishFailures == o.publishFailures
        && forged == o.forged
        && downgraded == o.downgraded;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        published,
        received,
        applied,
        malformed,
        foreign,
        handlerFailures,
        cascaded,
        losses,
        suspensions,
        sharedHits,
        sharedFailures,
        sharedUnencodable,
        live,
        lag,
        outboxDepth,
        inFlight,
        outboxOverflows,
        outboxDelivered,
        sharedSkipped,
        sharedBreakerOpen,
        publishFailures,
        forged,
        downgraded);
  }

  @Override
  public String toString() {
    return "GroupStats["
        + "published="
        + published
        + ", received="
        + received
        + ", applied="
        + applied
        + ", malformed="
        + malformed
        + ", foreign="
        + foreign
        + ", handlerFailures="
        + handlerFailures
        + ", cascaded="
        + cascaded
        + ", losses="
        + losses
        + ", suspensions="
        + suspensions
        + ", sharedHits="
        + sharedHits
        + ", sharedFailures="
        + sharedFailures
        + ", sharedUnencodable="
        + sharedUnencodable
        + ", live="
        + live
        + ", lag="
        + lag
        + ", outboxDepth="
        + outboxDepth
        + ", inFlight="
        + inFlight
        + ", outboxOverflows="
        + outboxOverflows
        + ", outboxDelivered="
        + outboxDelivered
        + ", sharedSkipped="
        + sharedSkipped
        + ", sharedBreakerOpen="
        + sharedBreakerOpen
        + ", publishFailures="
        + publishFailures
        + ", forged="
        + forged
        + ", downgraded="
        + downgraded
        + "]";
  }

  /** Sets the figures one by one; those not set stay zero (or false, or no lag). */
  public static final class Builder {

    private long published;
    private long received;
    private long applied;
    private long malformed;
    private long foreign;
    private long handlerFailures;
    private long cascaded;
    private long losses;
    private long suspensions;
    private long sharedHits;
    private long sharedFailures;
    private long sharedUnencodable;
    private boolean live;
    private PropagationLag lag = PropagationLag.NONE;
    private int outboxDepth;
    private int inFlight;
    private long outboxOverflows;
    private long outboxDelivered;
    private long sharedSkipped;
    private boolean sharedBreakerOpen;
    private long publishFailures;
    private long forged;
    private long downgraded;

    private Builder() {}

    /** See {@link GroupStats#published()}. */
    public Builder published(long value) {
      this.published = value;
      return this;
    }

    /** See {@link GroupStats#received()}. */
    public Builder received(long value) {
      this.received = value;
      return this;
    }

    /** See {@link GroupStats#applied()}. */
    public Builder applied(long value) {
      this.applied = value;
      return this;
    }

    /** See {@link GroupStats#malformed()}. */
    public Builder malformed(long value) {
      this.malformed = value;
      return this;
    }

    /** See {@link GroupStats#foreign()}. */
    public Builder foreign(long value) {
      this.foreign = value;
      return this;
    }

    /** See {@link GroupStats#handlerFailures()}. */
    public Builder handlerFailures(long value) {
      this.handlerFailures = value;
      return this;
    }

    /** See {@link GroupStats#cascaded()}. */
    public Builder cascaded(long value) {
      this.cascaded = value;
      return this;
    }

    /** See {@link GroupStats#losses()}. */
    public Builder losses(long value) {
      this.losses = value;
      return this;
    }

    /** See {@link GroupStats#suspensions()}. */
    public Builder suspensions(long value) {
      this.suspensions = value;
      return this;
    }

    /** See {@link GroupStats#sharedHits()}. */
    public Builder sharedHits(long value) {
      this.sharedHits = value;
      return this;
    }

    /** See {@link GroupStats#sharedFailures()}. */
    public Builder sharedFailures(long value) {
      this.sharedFailures = value;
      return this;
    }

    /** See {@link GroupStats#sharedUnencodable()}. */
    public Builder sharedUnencodable(long value) {
      this.sharedUnencodable = value;
      return this;
    }

    /** See {@link GroupStats#live()}. */
    public Builder live(boolean value) {
      this.live = value;
      return this;
    }

    /** See {@link GroupStats#lag()}. */
    public Builder lag(PropagationLag value) {
      this.lag = java.util.Objects.requireNonNull(value, "lag must not be null");
      return this;
    }

    /** See {@link GroupStats#outboxDepth()}. */
    public Builder outboxDepth(int value) {
      this.outboxDepth = value;
      return this;
    }

    /** See {@link GroupStats#inFlight()}. */
    public Builder inFlight(int value) {
      this.inFlight = value;
      return this;
    }

    /** See {@link GroupStats#outboxOverflows()}. */
    public Builder outboxOverflows(long value) {
      this.outboxOverflows = value;
      return this;
    }

    /** See {@link GroupStats#outboxDelivered()}. */
    public Builder outboxDelivered(long value) {
      this.outboxDelivered = value;
      return this;
    }

    /** See {@link GroupStats#sharedSkipped()}. */
    public Builder sharedSkipped(long value) {
      this.sharedSkipped = value;
      return this;
    }

    /** See {@link GroupStats#sharedBreakerOpen()}. */
    public Builder sharedBreakerOpen(boolean value) {
      this.sharedBreakerOpen = value;
      return this;
    }

    /** See {@link GroupStats#publishFailures()}. */
    public Builder publishFailures(long value) {
      this.publishFailures = value;
      return this;
    }

    /** See {@link GroupStats#forged()}. */
    public Builder forged(long value) {
      this.forged = value;
      return this;
    }

    /** See {@link GroupStats#downgraded()}. */
    public Builder downgraded(long value) {
      this.downgraded = value;
      return this;
    }

    /** The snapshot. */
    public GroupStats build() {
      return new GroupStats(this);
    }
  }
}
