package io.freshcache.jdbc.pg;

import io.freshcache.event.EventCodec;
import io.freshcache.event.Invalidation;
import io.freshcache.event.InvalidationEvent;
import io.freshcache.spi.InvalidationBus;
import io.freshcache.stats.PropagationLag;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invalidation from the database itself: reads PostgreSQL's logical replication stream (the
 * built-in {@code pgoutput} plugin, through pgjdbc's replication API) and publishes each committed
 * transaction's changes, mapped to key names and tags by {@link TableMapping}s, as invalidations on
 * the group's bus. Writes by any client — a service that forgot to invalidate, a batch job, an
 * operator in {@code psql}, a migration — reach every instance's caches.
 *
 * <p>What it promises:
 *
 * <ul>
 *   <li><b>Committed changes only, at commit.</b> PostgreSQL decodes a transaction when it commits:
 *       a rolled-back transaction produces nothing, and a long transaction's changes are published
 *       once, when it commits.
 *   <li><b>Nothing lost.</b> The slot's confirmed position moves past a transaction only after the
 *       bus accepted every invalidation it produced (the future of {@link InvalidationBus#publish}
 *       completed; on Redis: the server appended it to its log), and only in commit order. After a
 *       crash, a restart or a takeover the new consumer resumes from that position, so some
 *       transactions may be published twice: invalidations are idempotent. This is why the capture
 *       drives the replication protocol itself rather than through an embedded connector: it alone
 *       decides when the position advances.
 *   <li><b>Losses are reported and handled, never silent.</b> A slot that does not exist (dropped,
 *       or never made) or whose WAL PostgreSQL removed cannot say what changed: the capture makes a
 *       new slot first, then has the bus accept an invalidation of everything the mapping covers
 *       (each key template's glob, e.g. {@code product:*}; everything in the group if a tag
 *       template exists), logs an error and tells {@link CaptureListener#onLoss}. A first start on
 *       a new slot counts as such a loss too: nothing says what changed before it.
 *   <li><b>One consumer per slot across the fleet.</b> Every instance runs a capture for the same
 *       slot; a PostgreSQL advisory lock on an ordinary session picks the one that streams. The
 *       others try again every {@link PgChangeCaptureBuilder#takeoverInterval}: a consumer whose
 *       process dies is replaced within that interval; one that goes silent within its {@link
 *       PgChangeCaptureBuilder#lease} plus the interval. The new consumer ends the old one's
 *       replication session if the server still holds it.
 * </ul>
 *
 * <p>Each transaction goes out as events of type {@link #EVENT_TYPE} without a {@code source} (as a
 * plain publisher's, so every receiver also applies it to the shared tier), with the commit time as
 * the event's timestamp and the transaction's {@code xid} and commit {@code lsn} in its data.
 * {@link CommitLag} measures commit to applied on an instance.
 *
 * <p>The slot holds WAL on the server until the capture confirms it: a slot nobody consumes fills
 * the disk. The capture reads the slot's retained WAL every {@link
 * PgChangeCaptureBuilder#walCheckInterval} ({@link #retainedWalBytes()}, gauge {@code
 * freshcache.cdc.retained.wal}), and warns past {@link PgChangeCaptureBuilder#warnRetainedWal}. To
 * retire a capture for good, drop its slot and publication: {@code SELECT
 * pg_drop_replication_slot('freshcache_shop'); DROP PUBLICATION freshcache_shop;}.
 *
 * <p>Thread-safe. One thread per capture; {@link #close()} stops it and releases the slot.
 */
public final class PgChangeCapture implements AutoCloseable {

  /** The event type of the invalidations a capture publishes. */
  public static final String EVENT_TYPE = "freshcache.cdc";

  private static final Logger log = LoggerFactory.getLogger(PgChangeCapture.class);
  private static final long IDLE_PARK_NANOS = 1_000_000;
  private static final Duration RETRY = Duration.ofMillis(200);

  private final String namespace;
  private final String slot;
  private final String publication;
  private final PgChangeCaptureBuilder settings;
  private final List<MappedTable> tables;
  private final List<Invalidation> cover;
  private final InvalidationBus bus;
  private final boolean ownsBus;
  private final CaptureListener listener;
  private final Thread thread;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final LagRecorder publishLag = new LagRecorder();
  private final AtomicLong transactions = new AtomicLong();
  private final AtomicLong losses = new AtomicLong();
  private final AtomicLong publishRetries = new AtomicLong();
  private final AutoCloseable meters;
  private volatile boolean closed;
  private volatile boolean leader;
  private volatile long retainedWal = -1;
  private volatile long confirmed;
  private boolean walWarned;
  private String troubled;
  private long nextWalCheck;

  PgChangeCapture(
      PgChangeCaptureBuilder b, List<MappedTable> tables, InvalidationBus bus, boolean ownsBus) {
    this.settings = b;
    this.namespace = b.namespace;
    this.slot = b.slot;
    this.publication = b.publication;
    this.tables = tables;
    this.bus = bus;
    this.ownsBus = ownsBus;
    this.listener = b.listener;
    LinkedHashSet<Invalidation> covers = new LinkedHashSet<>();
    tables.forEach(t -> covers.addAll(t.cover()));
    this.cover =
        covers.contains(new Invalidation.All(null))
            ? List.of(new Invalidation.All(null))
            : List.copyOf(covers);
    this.meters = b.meterRegistry == null ? null : CaptureMetrics.bind(b.meterRegistry, slot, this);
    this.thread = new Thread(this::run, "freshcache-cdc-" + slot);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Starts a builder for a capture publishing to group {@code namespace}, reading the database at
   * {@code jdbcUrl} ({@code jdbc:postgresql://host:port/database}).
   */
  public static PgChangeCaptureBuilder builder(String namespace, String jdbcUrl) {
    return new PgChangeCaptureBuilder(namespace, jdbcUrl);
  }

  /** The slot this capture consumes (or waits to). */
  public String slot() {
    return slot;
  }

  /** Whether this instance is the slot's consumer now. */
  public boolean isLeader() {
    return leader;
  }

  /** Transactions whose invalidations the bus accepted, by this instance. */
  public long transactions() {
    return transactions.get();
  }

  /** Losses handled (a missing or unresumable slot) by this instance. */
  public long losses() {
    return losses.get();
  }

  /** Publications the bus refused and the capture sent again. */
  public long publishRetries() {
    return publishRetries.get();
  }

  /** The last position this instance confirmed to the slot, as {@code X/Y}; {@code 0/0} if none. */
  public String confirmedPosition() {
    return LogSequenceNumber.valueOf(confirmed).asString();
  }

  /** Bytes of WAL the slot holds back on the server, as last read; -1 before the first read. */
  public long retainedWalBytes() {
    return retainedWal;
  }

  /** How long from commit to the bus accepting the transaction's invalidations, here. */
  public PropagationLag publishLag() {
    return publishLag.snapshot();
  }

  // ---------------------------------------------------------------- the capture's thread

  private void run() {
    while (!closed) {
      LeaderLock lock = null;
      try {
        lock = LeaderLock.open(settings.connect(), slot, settings.lease);
        while (!closed) {
          checkWal(lock.connection(), false);
          if (!lock.tryAcquire()) {
            await(settings.takeoverInterval);
            continue;
          }
          setLeader(true);
          try {
            lead(lock);
          } finally {
            setLeader(false);
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!closed) {
          trouble(
              "the session with the database failed ("
                  + e.getMessage()
                  + "); trying again every "
                  + settings.takeoverInterval.toMillis()
                  + " ms");
          await(settings.takeoverInterval);
        }
      } finally {
        if (lock != null) {
          lock.close();
        }
      }
    }
  }

  /** Streams while this instance holds the lock; returns when closed, throws when it lost it. */
  private void lead(LeaderLock lock) throws SQLException {
    while (!closed) {
      lock.ping();
      prepareSlot(lock);
      try (Connection replication = settings.connectReplication()) {
        PGReplicationStream stream = startStream(replication, lock);
        if (troubled != null) {
          log.info("change capture '{}': streaming again after: {}", slot, troubled);
          troubled = null;
        } else {
          log.info("change capture '{}': streaming slot {}", slot, slot);
        }
        stream(stream, lock);
      } catch (SQLException e) {
        if (closed) {
          return;
        }
        trouble(
            "the replication stream ended ("
                + e.getMessage()
                + "); resuming from the slot's confirmed position");
        await(RETRY);
      }
    }
  }

  private void stream(PGReplicationStream stream, LeaderLock lock) throws SQLException {
    Translator translator = new Translator(tables);
    Pending pending =
        new Pending(
            this::publishAll, TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.SECONDS.toNanos(5));
    long pingEvery = lock.pingInterval().toNanos();
    long nextPing = System.nanoTime() + pingEvery;
    long nextStatus = System.nanoTime();
    Translator.Changes open = null;
    PgOutput.Begin begin = null;
    long retriesSeen = 0;
    while (!closed) {
      long now = System.nanoTime();
      if (now - nextPing >= 0) {
        lock.check(); // the lease thread pings; here we only learn whether the session is gone
        checkWal(lock.connection(), false);
        nextPing = now + pingEvery;
      }
      boolean full = pending.size() >= settings.maxInFlight;
      if (full && now - nextStatus >= 0) {
        // Not reading while the bus catches up: still tell the server we are alive.
        stream.forceUpdateStatus();
        nextStatus = now + TimeUnit.SECONDS.toNanos(1);
      }
      ByteBuffer buffer = full ? null : stream.readPending();
      if (buffer == null) {
        long acked = pending.drain(now);
        if (open == null && pending.isEmpty()) {
          // Between transactions with everything accepted: what the server sent so far (a
          // keepalive's position) holds nothing more for us, so the slot may move on to it.
          acked = Math.max(acked, stream.getLastReceiveLSN().asLong());
        }
        confirm(stream, acked);
        publishRetries.addAndGet(pending.failures() - retriesSeen);
        retriesSeen = pending.failures();
        LockSupport.parkNanos(IDLE_PARK_NANOS);
        continue;
      }
      PgOutput.Message m = PgOutput.read(buffer);
      if (m instanceof PgOutput.Begin b) {
        begin = b;
        open = new Translator.Changes();
      } else if (m instanceof PgOutput.Relation r) {
        translator.relation(r);
      } else if (m instanceof PgOutput.Insert i) {
        translator.insert(i, requireOpen(open, m));
      } else if (m instanceof PgOutput.Update u) {
        translator.update(u, requireOpen(open, m));
      } else if (m instanceof PgOutput.Delete d) {
        translator.delete(d, requireOpen(open, m));
      } else if (m instanceof PgOutput.Truncate t) {
        translator.truncate(t, requireOpen(open, m));
      } else if (m instanceof PgOutput.Commit c) {
        pending.add(committed(requireOpen(open, m), begin, c));
        open = null;
        confirm(stream, pending.drain(now));
      } else if (m instanceof PgOutput.Other) {
        // types, origins: nothing to invalidate
      } else {
        throw new IllegalStateException("pgoutput: unhandled message " + m);
      }
    }
  }

  private static Translator.Changes requireOpen(Translator.Changes open, PgOutput.Message m) {
    if (open == null) {
      throw new IllegalStateException("pgoutput: " + m + " outside a transaction");
    }
    return open;
  }

  private void confirm(PGReplicationStream stream, long lsn) {
    if (lsn > confirmed) {
      confirmed = lsn;
      LogSequenceNumber position = LogSequenceNumber.valueOf(lsn);
      stream.setFlushedLSN(position);
      stream.setAppliedLSN(position);
    }
  }

  /** Publishes one committed transaction; the entry completes when the bus accepted all of it. */
  private Pending.Entry committed(
      Translator.Changes changes, PgOutput.Begin begin, PgOutput.Commit commit) {
    List<Invalidation> invalidations = changes.invalidations();
    if (invalidations.isEmpty()) {
      return new Pending.Entry(commit.endLsn(), List.of(), CompletableFuture.completedFuture(null));
    }
    Map<String, Object> data =
        Map.of(
            "xid",
            Integer.toUnsignedLong(begin.xid()),
            "lsn",
            LogSequenceNumber.valueOf(commit.commitLsn()).asString());
    List<String> messages = encode(invalidations, commit.commitMicros(), data);
    CompletableFuture<Void> accepted = publishAll(messages);
    long committedAt = commit.commitMicros();
    accepted.thenRun(
        () -> {
          transactions.incrementAndGet();
          publishLag.record(nowMicros() - committedAt);
        });
    return new Pending.Entry(commit.endLsn(), messages, accepted);
  }

  private List<String> encode(
      List<Invalidation> invalidations, long timestampMicros, Map<String, Object> data) {
    List<String> messages = new ArrayList<>();
    for (Invalidation inv : invalidations) {
      InvalidationEvent event =
          new InvalidationEvent(EVENT_TYPE, timestampMicros / 1e6, inv, data, null);
      messages.addAll(EventCodec.encodeFitting(event, namespace, settings.eventKeys));
    }
    return messages;
  }

  private CompletableFuture<Void> publishAll(List<String> messages) {
    CompletableFuture<?>[] futures = new CompletableFuture<?>[messages.size()];
    for (int i = 0; i < futures.length; i++) {
      try {
        futures[i] = bus.publish(EVENT_TYPE, messages.get(i));
      } catch (RuntimeException e) {
        futures[i] = CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.allOf(futures);
  }

  // ---------------------------------------------------------------- slot, loss, takeover

  /**
   * Makes sure the slot exists and can be resumed. A missing slot, or one whose WAL was removed, is
   * a loss: the slot is made (again) first, so every change after this moment is captured, then the
   * bus must accept the mapping's cover before streaming starts.
   */
  private void prepareSlot(LeaderLock lock) throws SQLException {
    Connection c = lock.connection();
    String status = null;
    boolean exists;
    try (PreparedStatement s =
        c.prepareStatement("select wal_status from pg_replication_slots where slot_name = ?")) {
      s.setString(1, slot);
      try (ResultSet rs = s.executeQuery()) {
        exists = rs.next();
        if (exists) {
          status = rs.getString(1);
        }
      }
    }
    String reason;
    if (!exists) {
      reason = "replication slot '" + slot + "' did not exist (dropped, or never created)";
    } else if ("lost".equals(status)) {
      reason =
          "replication slot '"
              + slot
              + "' can no longer be resumed: PostgreSQL removed WAL it needed"
              + " (max_slot_wal_keep_size)";
      terminateConsumer(c);
      try (PreparedStatement s = c.prepareStatement("select pg_drop_replication_slot(?)")) {
        s.setString(1, slot);
        s.execute();
      }
    } else {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement("select pg_create_logical_replication_slot(?, 'pgoutput')")) {
      s.setString(1, slot);
      s.execute();
    }
    log.error(
        "change capture '{}': {}; changes before now may never have been published. Created the"
            + " slot anew; invalidating everything the mapping covers: {}",
        slot,
        reason,
        cover);
    List<String> messages = encode(cover, nowMicros(), Map.of("loss", reason));
    while (!closed) {
      CompletableFuture<Void> accepted = publishAll(messages);
      try {
        while (!closed) {
          lock.check();
          try {
            accepted.get(100, TimeUnit.MILLISECONDS);
            losses.incrementAndGet();
            listener.onLoss(reason);
            return;
          } catch (java.util.concurrent.TimeoutException stillWaiting) {
            // wait on, as long as the lock holds
          }
        }
      } catch (java.util.concurrent.ExecutionException e) {
        log.warn(
            "change capture '{}': the bus refused the loss's invalidation ({}); sending it again",
            slot,
            e.getCause().toString());
        await(RETRY);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private PGReplicationStream startStream(Connection replication, LeaderLock lock)
      throws SQLException {
    PGConnection pg = replication.unwrap(PGConnection.class);
    for (int attempt = 1; ; attempt++) {
      try {
        return pg.getReplicationAPI()
            .replicationStream()
            .logical()
            .withSlotName(slot)
            .withSlotOption("proto_version", 1)
            .withSlotOption("publication_names", publication)
            .withStatusInterval(1, TimeUnit.SECONDS)
            .withAutomaticFlush(false)
            .start();
      } catch (SQLException e) {
        // 55006: the slot is active for another session, a consumer that lost the lock (died,
        // went silent) but whose replication session the server has not ended yet. We hold the
        // lock, so that session is not a consumer anyone should wait for.
        if (!"55006".equals(e.getSQLState()) || attempt > 50 || closed) {
          throw e;
        }
        if (attempt == 1) {
          log.info(
              "change capture '{}': ending the previous consumer's session ({})",
              slot,
              e.getMessage());
        }
        terminateConsumer(lock.connection());
        await(Duration.ofMillis(20));
      }
    }
  }

  private void terminateConsumer(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "select pg_terminate_backend(active_pid) from pg_replication_slots where slot_name = ?"
                + " and active_pid is not null")) {
      s.setString(1, slot);
      s.execute();
    }
  }

  private void checkWal(Connection c, boolean force) {
    long now = System.nanoTime();
    if (!force && now - nextWalCheck < 0) {
      return;
    }
    nextWalCheck = now + settings.walCheckInterval.toNanos();
    try (PreparedStatement s =
        c.prepareStatement(
            "select pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint from"
                + " pg_replication_slots where slot_name = ?")) {
      s.setString(1, slot);
      try (ResultSet rs = s.executeQuery()) {
        long bytes = rs.next() ? rs.getLong(1) : 0;
        retainedWal = bytes;
        if (bytes > settings.walWarnBytes) {
          if (!walWarned) {
            walWarned = true;
            log.warn(
                "change capture '{}': slot {} holds back {} bytes of WAL (warning past {}). If no"
                    + " instance consumes it any more, drop it: SELECT"
                    + " pg_drop_replication_slot('{}')",
                slot,
                slot,
                bytes,
                settings.walWarnBytes,
                slot);
          }
          listener.onRetainedWal(bytes);
        } else {
          walWarned = false;
        }
      }
    } catch (SQLException e) {
      log.debug("change capture '{}': could not read the slot's retained WAL", slot, e);
    }
  }

  /**
   * Logs the first of a run of failures, not each retry: one line when trouble starts, one when
   * streaming resumes.
   */
  private void trouble(String what) {
    if (troubled == null) {
      troubled = what;
      log.warn("change capture '{}': {}", slot, what);
    } else {
      log.debug("change capture '{}': {}", slot, what);
    }
  }

  private void setLeader(boolean now) {
    if (leader != now) {
      leader = now;
      log.info(
          "change capture '{}': this instance {} the slot's consumer",
          slot,
          now ? "is now" : "is no longer");
      listener.onLeadership(now);
    }
  }

  private void await(Duration d) {
    try {
      closing.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /**
   * Stops the capture: the stream and the lock are released (another instance takes over within its
   * takeover interval), the slot stays, positioned after the last transaction the bus accepted.
   * Closes the bus if the capture opened it. Idempotent.
   */
  @Override
  public void close() {
    if (closed && !thread.isAlive()) {
      return;
    }
    closed = true;
    closing.countDown();
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (meters != null) {
      try {
        meters.close();
      } catch (Exception e) {
        log.debug("change capture '{}': could not remove its meters", slot, e);
      }
    }
    if (ownsBus) {
      bus.close();
    }
  }

  @Override
  public String toString() {
    return "PgChangeCapture[" + namespace + ", slot " + slot + (leader ? ", consuming" : "") + "]";
  }
}
