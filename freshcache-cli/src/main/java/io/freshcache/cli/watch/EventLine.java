package io.freshcache.cli.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshcache.cli.Text;
import io.freshcache.event.EventCodec;
import io.freshcache.event.Invalidation;
import io.freshcache.event.InvalidationEvent;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One line of {@code freshcache watch} output per message: for people, aligned columns of the time
 * received, event type, kind and what it invalidates, then {@code name=value} details; for programs
 * ({@code --json}), one JSON object.
 *
 * <pre>{@code
 * 14:03:07.512  user.updated              delete          keys=[user:profile:123]
 * 14:03:09.001  freshcache.invalidate     tag             tags=[org:42]  source=cli-3f2a9c1d  namespace=demo  lag=1.4ms
 * {"received":"2025-01-01T13:03:07.512Z","channel":"cache:invalidation:user.updated","type":"user.updated","kind":"delete","keys":["user:profile:123"],"timestamp":12345.6}
 * }</pre>
 *
 * <p>The lag (time received minus the event's timestamp) is shown only for events from freshcache
 * instances, whose timestamps are wall-clock time. Events of PostgreSQL change capture ({@code
 * freshcache.cdc}) carry their transaction's commit time: their line shows the transaction's {@code
 * xid} and {@code lsn}, the commit → seen lag and the running p50 and p99 of that lag over the
 * watch so far. Text from the message is printed with control characters escaped, so one message is
 * always one line.
 */
public final class EventLine {

  /** Plain decimals: a timestamp reads 1732665600.123, not 1.732665600123E9. */
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final boolean json;
  private final ZoneId zone;

  /**
   * @param json one JSON object per line instead of columns
   * @param zone the time zone of the time received, in the column format
   */
  public EventLine(boolean json, ZoneId zone) {
    this.json = json;
    this.zone = zone;
  }

  /**
   * The line for a decoded message (decoded by {@link EventCodec#decode}, as instances decode it),
   * received on {@code channel} at {@code received}.
   */
  public String event(EventCodec.Envelope envelope, String channel, Instant received) {
    return event(envelope, channel, received, new CommitLags());
  }

  /**
   * As {@link #event(EventCodec.Envelope, String, Instant)}, recording a change-capture event's
   * commit → seen lag in {@code lags}, whose running p50 and p99 the line shows.
   */
  String event(EventCodec.Envelope envelope, String channel, Instant received, CommitLags lags) {
    Double lag = lagMillis(envelope.event(), received);
    Double commitLag = commitLagMillis(envelope.event(), received);
    if (commitLag != null) {
      lags.record(commitLag);
    }
    Shown shown = shown(envelope.event().invalidation());
    return json
        ? eventJson(envelope, shown, channel, received, lag, commitLag, lags)
        : eventText(envelope, shown, received, lag, commitLag, lags);
  }

  /** The event type of PostgreSQL change capture's events (freshcache-jdbc's PgChangeCapture). */
  static final String CDC = "freshcache.cdc";

  /**
   * Milliseconds from a database commit to {@code received}, for an event of change capture that
   * carries a committed transaction ({@code xid} in its data): its timestamp is the commit time on
   * the database server's wall clock. Null for any other event.
   */
  static Double commitLagMillis(InvalidationEvent event, Instant received) {
    if (!CDC.equals(event.type()) || !event.data().containsKey("xid") || event.timestamp() <= 0) {
      return null;
    }
    return (received.getEpochSecond() - event.timestamp()) * 1_000 + received.getNano() / 1e6;
  }

  /**
   * Milliseconds from publication to {@code received}, or {@code null} unless the event comes from
   * a freshcache instance: plain publishers may stamp a monotonic clock of their own process.
   */
  static Double lagMillis(InvalidationEvent event, Instant received) {
    if (event.source() == null || event.timestamp() <= 0) {
      return null;
    }
    return (received.getEpochSecond() - event.timestamp()) * 1_000 + received.getNano() / 1e6;
  }

  /** Whether a group named {@code group} applies this event: its own, or one for every group. */
  static boolean isFor(EventCodec.Envelope envelope, String group) {
    return envelope.namespace() == null || envelope.namespace().equals(group);
  }

  /**
   * What a line shows of an invalidation: its payload type on the wire, and the field it names
   * (keys, tags, pattern; none for all) with its values.
   */
  private record Shown(
      String kind, boolean cascade, String field, List<String> targets, OptionalLong version) {}

  private static Shown shown(Invalidation invalidation) {
    return invalidation.match(
        new Invalidation.Cases<Shown>() {
          @Override
          public Shown keys(Invalidation.Keys keys) {
            return new Shown("delete", keys.cascade(), "keys", keys.keys(), keys.version());
          }

          @Override
          public Shown tags(Invalidation.Tags tags) {
            return new Shown("tag", false, "tags", tags.tags(), OptionalLong.empty());
          }

          @Override
          public Shown pattern(Invalidation.Pattern pattern) {
            return new Shown(
                "pattern", false, "pattern", List.of(pattern.glob()), OptionalLong.empty());
          }

          @Override
          public Shown update(Invalidation.Update update) {
            return new Shown("update", false, "keys", update.keys(), update.version());
          }

          @Override
          public Shown all(Invalidation.All all) {
            return new Shown("all", false, null, List.of(), OptionalLong.empty());
          }
        });
  }

  /** The line for a message on {@code channel} that is not a valid event. */
  String malformed(String channel, String reason, Instant received) {
    if (json) {
      ObjectNode line = JSON.createObjectNode();
      line.put("received", received.truncatedTo(ChronoUnit.MILLIS).toString());
      line.put("channel", channel);
      line.put("malformed", true);
      line.put("reason", reason);
      return write(line);
    }
    return String.format(
        Locale.ROOT,
        "%s  %-24s  on %s: %s",
        time(received),
        "malformed message",
        Text.printable(channel),
        Text.printable(reason));
  }

  private String eventText(
      EventCodec.Envelope envelope,
      Shown shown,
      Instant received,
      Double lag,
      Double commitLag,
      CommitLags lags) {
    InvalidationEvent event = envelope.event();
    List<String> details = new ArrayList<>();
    if (shown.field() != null) {
      details.add(
          shown.field()
              + "="
              + (shown.field().equals("pattern") ? shown.targets().get(0) : shown.targets()));
    }
    if (event.invalidation().cache() != null) {
      details.add("cache=" + event.invalidation().cache());
    }
    shown.version().ifPresent(v -> details.add("version=" + v));
    if (event.source() != null) {
      details.add("source=" + event.source());
    }
    if (envelope.namespace() != null) {
      details.add("namespace=" + envelope.namespace());
    }
    if (lag != null) {
      details.add(String.format(Locale.ROOT, "lag=%.1fms", lag));
    }
    if (commitLag != null) {
      details.add("xid=" + event.data().get("xid"));
      details.add("lsn=" + event.data().get("lsn"));
      details.add(String.format(Locale.ROOT, "commit_lag=%.1fms %s", commitLag, lags.running()));
    } else if (CDC.equals(event.type()) && event.data().containsKey("loss")) {
      details.add("loss=" + event.data().get("loss"));
    }
    String line =
        String.format(
            Locale.ROOT,
            "%s  %-24s  %-14s  %s",
            time(received),
            event.type(),
            shown.cascade() ? shown.kind() + " cascade" : shown.kind(),
            String.join("  ", details));
    return Text.printable(line.stripTrailing());
  }

  private static String eventJson(
      EventCodec.Envelope envelope,
      Shown shown,
      String channel,
      Instant received,
      Double lag,
      Double commitLag,
      CommitLags lags) {
    InvalidationEvent event = envelope.event();
    ObjectNode line = JSON.createObjectNode();
    line.put("received", received.truncatedTo(ChronoUnit.MILLIS).toString());
    line.put("channel", channel);
    line.put("type", event.type());
    line.put("kind", shown.kind());
    if (shown.cascade()) {
      line.put("cascade", true);
    }
    if ("pattern".equals(shown.field())) {
      line.put("pattern", shown.targets().get(0));
    } else if (shown.field() != null) {
      shown.targets().forEach(line.putArray(shown.field())::add);
    }
    if (event.invalidation().cache() != null) {
      line.put("cache", event.invalidation().cache());
    }
    shown.version().ifPresent(v -> line.put("version", v));
    if (event.source() != null) {
      line.put("source", event.source());
    }
    if (envelope.namespace() != null) {
      line.put("namespace", envelope.namespace());
    }
    if (event.timestamp() != 0) {
      line.put("timestamp", BigDecimal.valueOf(event.timestamp()));
    }
    if (lag != null) {
      line.put("lag_ms", millis(lag));
    }
    if (commitLag != null) {
      line.put("commit_lag_ms", millis(commitLag));
      line.put("commit_lag_p50_ms", millis(lags.p50Millis()));
      line.put("commit_lag_p99_ms", millis(lags.p99Millis()));
      line.put("commit_lag_count", lags.count());
    }
    if (!event.data().isEmpty()) {
      line.set("data", JSON.valueToTree(event.data()));
    }
    return write(line);
  }

  /** Milliseconds to the microsecond, as a plain decimal. */
  private static BigDecimal millis(double ms) {
    return BigDecimal.valueOf(Math.round(ms * 1_000), 3).stripTrailingZeros();
  }

  private static String write(ObjectNode line) {
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // a tree of strings and numbers always writes
    }
  }

  private String time(Instant received) {
    return TIME.format(received.atZone(zone));
  }
}
