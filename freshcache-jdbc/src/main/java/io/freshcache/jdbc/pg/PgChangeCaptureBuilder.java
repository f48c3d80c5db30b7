package io.freshcache.jdbc.pg;

import io.freshcache.event.EventKeys;
import io.freshcache.event.Names;
import io.freshcache.spi.InvalidationBus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Configures a {@link PgChangeCapture}. Each setting may be given once; {@link #start()} checks the
 * database and the mapping and starts the capture. Not thread-safe.
 *
 * <pre>{@code
 * PgChangeCapture capture =
 *     PgChangeCapture.builder("shop", "jdbc:postgresql://db:5432/shop")
 *         .user("cdc").password(secret)
 *         .bus(RedisBus.builder("redis://cache:6379"))
 *         .map(TableMapping.table("products").key("product:{id}").tag("category:{category_id}"))
 *         .start();
 * }</pre>
 */
public final class PgChangeCaptureBuilder {

  private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");

  final String namespace;
  final String jdbcUrl;
  final Properties properties = new Properties();
  final List<TableMapping> mappings = new ArrayList<>();
  InvalidationBus bus;
  InvalidationBus.Opener busOpener;
  String slot;
  String publication;
  boolean createPublication = true;
  Duration takeoverInterval = Duration.ofSeconds(1);
  Duration lease = Duration.ofSeconds(10);
  long walWarnBytes = 1L << 30;
  Duration walCheckInterval = Duration.ofSeconds(10);
  int maxInFlight = 1_000;
  Object meterRegistry;
  EventKeys eventKeys;
  CaptureListener listener = CaptureListener.none();
  private boolean takeoverSet;
  private boolean leaseSet;
  private boolean walWarnSet;
  private boolean walCheckSet;
  private boolean inFlightSet;
  private boolean createSet;
  private boolean slotSet;
  private boolean listenerSet;

  PgChangeCaptureBuilder(String namespace, String jdbcUrl) {
    this.namespace = Names.requireName(namespace, "group name");
    Objects.requireNonNull(jdbcUrl, "jdbcUrl must not be null");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "jdbcUrl \""
              + jdbcUrl
              + "\" is not a PostgreSQL URL: use jdbc:postgresql://host:port/db");
    }
    this.jdbcUrl = jdbcUrl;
    this.slot = "freshcache_" + namespace.toLowerCase().replaceAll("[^a-z0-9_]", "_");
    if (slot.length() > 63) {
      slot = slot.substring(0, 63);
    }
  }

  /** The role to connect as; it needs the REPLICATION attribute. */
  public PgChangeCaptureBuilder user(String user) {
    once(properties.containsKey("user"), "user");
    properties.setProperty("user", Objects.requireNonNull(user, "user"));
    return this;
  }

  /** The role's password. */
  public PgChangeCaptureBuilder password(String password) {
    once(properties.containsKey("password"), "password");
    properties.setProperty("password", Objects.requireNonNull(password, "password"));
    return this;
  }

  /**
   * Further pgjdbc connection properties (ssl, sslmode, …), for both connections the capture opens.
   */
  public PgChangeCaptureBuilder property(String name, String value) {
    Objects.requireNonNull(name, "name");
    once(properties.containsKey(name), name);
    properties.setProperty(name, Objects.requireNonNull(value, "value"));
    return this;
  }

  /** A table whose changes invalidate; give every mapped table once. */
  public PgChangeCaptureBuilder map(TableMapping mapping) {
    mappings.add(Objects.requireNonNull(mapping, "mapping must not be null"));
    return this;
  }

  /**
   * The bus to publish on, opened by the capture for its namespace and closed with it, e.g. {@code
   * .bus(RedisBus.builder(uri))}: the same bus the group's instances listen on.
   */
  public PgChangeCaptureBuilder bus(InvalidationBus.Opener opener) {
    requireNoBus();
    this.busOpener = Objects.requireNonNull(opener, "bus must not be null");
    return this;
  }

  /** A bus built elsewhere (not closed by the capture); it must carry the capture's namespace. */
  public PgChangeCaptureBuilder bus(InvalidationBus bus) {
    requireNoBus();
    Objects.requireNonNull(bus, "bus must not be null");
    if (bus.namespace() != null && !bus.namespace().equals(namespace)) {
      throw new IllegalArgumentException(
          "the bus carries namespace '"
              + bus.namespace()
              + "', the capture publishes for '"
              + namespace
              + "': hand it the bus's builder, or a bus built for '"
              + namespace
              + "'");
    }
    this.bus = bus;
    return this;
  }

  /**
   * The logical replication slot: lower-case letters, digits and {@code _}, at most 63. Every
   * instance of the fleet names the same slot; one of them consumes it at a time. Default: {@code
   * freshcache_<namespace>}.
   */
  public PgChangeCaptureBuilder slot(String slot) {
    once(slotSet, "slot");
    slotSet = true;
    this.slot = checkedIdentifier(slot, "slot");
    return this;
  }

  /** The publication the slot streams; same rules as a slot name. Default: the slot's name. */
  public PgChangeCaptureBuilder publication(String publication) {
    once(this.publication != null, "publication");
    this.publication = checkedIdentifier(publication, "publication");
    return this;
  }

  /**
   * Whether the capture creates its publication for the mapped tables when it does not exist (which
   * needs the tables' owner). Default: true. With false, a missing publication stops the start with
   * the statement to run.
   */
  public PgChangeCaptureBuilder createPublication(boolean create) {
    once(createSet, "createPublication");
    createSet = true;
    this.createPublication = create;
    return this;
  }

  /**
   * How often an instance that does not hold the slot tries to take it. With the lease, this bounds
   * a takeover: a dead consumer's process frees the slot at once and is replaced within this
   * interval; a silent one within the lease plus this interval. Default: 1 s.
   */
  public PgChangeCaptureBuilder takeoverInterval(Duration interval) {
    once(takeoverSet, "takeoverInterval");
    takeoverSet = true;
    this.takeoverInterval = positive(interval, "takeoverInterval");
    return this;
  }

  /**
   * How long the consumer may go without proving it is alive before the server ends its lock
   * session and another instance may take over (PostgreSQL 14+). Default: 10 s.
   */
  public PgChangeCaptureBuilder lease(Duration lease) {
    once(leaseSet, "lease");
    leaseSet = true;
    this.lease = positive(lease, "lease");
    if (lease.toMillis() < 400) {
      throw new IllegalArgumentException("lease must be at least 400 ms, was " + lease);
    }
    return this;
  }

  /** Retained WAL past which the capture warns (and tells the listener). Default: 1 GiB. */
  public PgChangeCaptureBuilder warnRetainedWal(long bytes) {
    once(walWarnSet, "warnRetainedWal");
    walWarnSet = true;
    if (bytes <= 0) {
      throw new IllegalArgumentException("warnRetainedWal must be positive, was " + bytes);
    }
    this.walWarnBytes = bytes;
    return this;
  }

  /** How often the slot's retained WAL is read. Default: 10 s. */
  public PgChangeCaptureBuilder walCheckInterval(Duration interval) {
    once(walCheckSet, "walCheckInterval");
    walCheckSet = true;
    this.walCheckInterval = positive(interval, "walCheckInterval");
    return this;
  }

  /**
   * How many committed transactions may wait for the bus before the capture stops reading the
   * stream until they are accepted. Default: 1,000.
   */
  public PgChangeCaptureBuilder maxInFlight(int transactions) {
    once(inFlightSet, "maxInFlight");
    inFlightSet = true;
    if (transactions < 1) {
      throw new IllegalArgumentException("maxInFlight must be positive, was " + transactions);
    }
    this.maxInFlight = transactions;
    return this;
  }

  /**
   * Publishes the capture's gauges and counters ({@code freshcache.cdc.*}, tagged with the slot).
   */
  public PgChangeCaptureBuilder metrics(io.micrometer.core.instrument.MeterRegistry registry) {
    once(meterRegistry != null, "metrics");
    this.meterRegistry = Objects.requireNonNull(registry, "registry must not be null");
    return this;
  }

  /**
   * The group's event keys: the capture signs every event with them. Instances accept values and
   * versions only from signed events, so a mapping with a {@link TableMapping#version} needs them
   * (the capture refuses to start without); give the capture the same keys as the group's instances
   * ({@code CacheGroupBuilder.eventKeys}).
   */
  public PgChangeCaptureBuilder eventKeys(EventKeys keys) {
    once(eventKeys != null, "eventKeys");
    this.eventKeys = Objects.requireNonNull(keys, "eventKeys must not be null");
    return this;
  }

  /** Told of losses, leadership and retained WAL. */
  public PgChangeCaptureBuilder listener(CaptureListener listener) {
    once(listenerSet, "listener");
    listenerSet = true;
    this.listener = Objects.requireNonNull(listener, "listener must not be null");
    return this;
  }

  /**
   * Checks the server (wal_level, replication privilege, free slots), the mapping (tables, columns,
   * primary keys, replica identity) and the publication, then starts the capture. On any problem it
   * throws a {@link ChangeCaptureException} naming the fix, and nothing is left running: no thread,
   * slot, lock or bus (a publication it created stays, for the next start).
   *
   * @throws ChangeCaptureException if the database or the mapping cannot carry the capture
   */
  public PgChangeCapture start() {
    if (mappings.isEmpty()) {
      throw new IllegalStateException(
          "no table is mapped: add at least one, e.g. .map(TableMapping.table(\"products\")"
              + ".key(\"product:{id}\"))");
    }
    if (bus == null && busOpener == null) {
      throw new IllegalStateException(
          "no bus: give the bus the group's instances listen on, e.g. .bus(RedisBus.builder(uri))");
    }
    if (eventKeys == null) {
      for (TableMapping m : mappings) {
        if (m.versionColumn() != null || m.valueFunction() != null) {
          throw new ChangeCaptureException(
              "the mapping of table "
                  + m.table()
                  + " writes versions and values, which instances accept only from signed events:"
                  + " give the capture the group's keys, .eventKeys(keys), the same EventKeys as"
                  + " the group's instances");
        }
      }
    }
    if (publication == null) {
      publication = slot;
    }
    List<MappedTable> tables;
    try (Connection c = connect()) {
      tables = StartupCheck.run(c, mappings, slot, publication, createPublication);
    } catch (SQLException e) {
      throw new ChangeCaptureException(
          "cannot check the database at "
              + jdbcUrl
              + " ("
              + e.getMessage()
              + "): make sure it answers and the user and password are right",
          e);
    }
    InvalidationBus opened = busOpener == null ? bus : busOpener.open(namespace);
    return new PgChangeCapture(this, tables, opened, busOpener != null);
  }

  Connection connect() throws SQLException {
    Properties p = new Properties();
    p.putAll(properties);
    p.putIfAbsent("ApplicationName", "freshcache-cdc");
    return DriverManager.getConnection(jdbcUrl, p);
  }

  Connection connectReplication() throws SQLException {
    Properties p = new Properties();
    p.putAll(properties);
    p.setProperty("replication", "database");
    p.setProperty("preferQueryMode", "simple");
    p.setProperty("assumeMinServerVersion", "10");
    p.putIfAbsent("ApplicationName", "freshcache-cdc");
    return DriverManager.getConnection(jdbcUrl, p);
  }

  private void requireNoBus() {
    if (bus != null || busOpener != null) {
      throw new IllegalStateException("bus was already set to " + (bus != null ? bus : busOpener));
    }
  }

  private static String checkedIdentifier(String name, String what) {
    Objects.requireNonNull(name, () -> what + " must not be null");
    if (!SLOT.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what
              + " \""
              + name
              + "\" is not valid: use 1 to 63 lower-case letters, digits and _, as PostgreSQL"
              + " requires of slot names");
    }
    return name;
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, () -> what + " must not be null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d;
  }

  private static void once(boolean alreadySet, String what) {
    if (alreadySet) {
      throw new IllegalStateException(what + " was already set");
    }
  }
}
