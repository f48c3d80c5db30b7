package io.freshcache.redis;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;

/**
 * Makes a Redis bus lose an event in a way it detects, for the bus kit's loss test: in one
 * transaction on the node that holds its log, an event is numbered and appended to the log, as the
 * publish script does but without publishing it, then trimmed away, and the bus's log connection is
 * killed. The bus can never have read the event. On the stream alone, its reader, once reconnected,
 * finds an entry added that it did not read and that is gone; with channel delivery on, the next
 * heartbeat or event shows the number missing and the log no longer holds it. Either way it reports
 * a loss, before anything published after it.
 */
final class StreamLoss {

  private StreamLoss() {}

  /**
   * Induces the loss on whichever of {@code nodeUris} owns the bus's log (a cluster's other nodes
   * answer MOVED); throws if none does or the bus has no log connection there.
   */
  static void induce(RedisBus bus, List<String> nodeUris) {
    String name = bus.clientName() + "-log";
    for (String uri : nodeUris) {
      RedisClient client = RedisTestSupport.plainClient(uri);
      try (StatefulRedisConnection<String, String> admin = client.connect()) {
        RedisCommands<String, String> redis = admin.sync();
        try {
          redis.exists(bus.streamKey());
        } catch (RedisCommandExecutionException moved) {
          continue; // another node owns the log's slot
        }
        List<String> ids = RedisTestSupport.clientIds(admin, name);
        if (ids.isEmpty()) {
          throw new IllegalStateException("no connection named " + name + " on " + uri);
        }
        redis.multi();
        String sequence = bus.streamKey().replaceFirst(":log$", ":seq");
        redis.incr(sequence);
        // The number the INCR gives, read in the same transaction by the entry itself.
        redis.eval(
            "return redis.call('XADD', KEYS[1], '*', 'm', ARGV[1], 's', redis.call('GET', KEYS[2]))",
            io.lettuce.core.ScriptOutputType.VALUE,
            new String[] {bus.streamKey(), sequence},
            "kit: an event nobody will read");
        redis.xtrim(bus.streamKey(), 0);
        for (String id : ids) {
          redis.clientKill(KillArgs.Builder.id(Long.parseLong(id)));
        }
        redis.exec();
        return;
      } finally {
        client.shutdown();
      }
    }
    throw new IllegalStateException("no node of " + nodeUris + " owns " + bus.streamKey());
  }
}
