package io.freshcache.cli.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.freshcache.cli.Text;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 * instances, whose timestamps are wall-clock time. Text from the message is printed with control
 * characters escaped, so one message is always one line.
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

  /** The line for {@code event}, received on {@code channel} at {@code received}. */
  public String event(WireEvent event, String channel, Instant received) {
    Double lag = event.lagMillis(received);
    return json ? eventJson(event, channel, received, lag) : eventText(event, received, lag);
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

  private String eventText(WireEvent event, Instant received, Double lag) {
    List<String> details = new ArrayList<>();
    switch (event.kind()) {
      case "tag" -> details.add("tags=" + event.targets());
      case "pattern" -> details.add("pattern=" + event.targets().get(0));
      case "all" -> {}
      default -> details.add("keys=" + event.targets());
    }
    if (event.cache() != null) {
      details.add("cache=" + event.cache());
    }
    if (event.version() != null) {
      details.add("version=" + event.version());
    }
    if (event.source() != null) {
      details.add("source=" + event.source());
    }
    if (event.namespace() != null) {
      details.add("namespace=" + event.namespace());
    }
    if (lag != null) {
      details.add(String.format(Locale.ROOT, "lag=%.1fms", lag));
    }
    String line =
        String.format(
            Locale.ROOT,
            "%s  %-24s  %-14s  %s",
            time(received),
            event.type(),
            event.cascade() ? event.kind() + " cascade" : event.kind(),
            String.join("  ", details));
    return Text.printable(line.stripTrailing());
  }

  private static String eventJson(WireEvent event, String channel, Instant received, Double lag) {
    ObjectNode line = JSON.createObjectNode();
    line.put("received", received.truncatedTo(ChronoUnit.MILLIS).toString());
    line.put("channel", channel);
    line.put("type", event.type());
    line.put("kind", event.kind());
    if (event.cascade()) {
      line.put("cascade", true);
    }
    switch (event.kind()) {
      case "tag" -> event.targets().forEach(line.putArray("tags")::add);
      case "pattern" -> line.put("pattern", event.targets().get(0));
      case "all" -> {}
      default -> event.targets().forEach(line.putArray("keys")::add);
    }
    if (event.cache() != null) {
      line.put("cache", event.cache());
    }
    if (event.version() != null) {
      line.put("version", event.version());
    }
    if (event.source() != null) {
      line.put("source", event.source());
    }
    if (event.namespace() != null) {
      line.put("namespace", event.namespace());
    }
    if (event.timestamp() != null) {
      line.put("timestamp", BigDecimal.valueOf(event.timestamp()));
    }
    if (lag != null) {
      line.put("lag_ms", BigDecimal.valueOf(Math.round(lag * 1_000), 3).stripTrailingZeros());
    }
    if (!event.data().isEmpty()) {
      line.set("data", JSON.valueToTree(event.data()));
    }
    return write(line);
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
