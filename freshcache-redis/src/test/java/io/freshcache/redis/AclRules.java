package io.freshcache.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code ACL SETUSER} lines of {@code docs/redis-acl.md}, read from the document itself so that
 * the tests run exactly what an operator pastes: one home for the rules.
 */
final class AclRules {

  static final String PASSWORD = "s3cret";

  /** The roles the document gives a line for, by the user name it writes them with. */
  enum Role {
    APPLICATION("freshcache-app-shop"),
    INVALIDATE("freshcache-invalidate-shop"),
    WATCH("freshcache-watch"),
    STATS("freshcache-stats-shop");

    final String documentedUser;

    Role(String documentedUser) {
      this.documentedUser = documentedUser;
    }
  }

  private static final Path DOC = Path.of("..", "docs", "redis-acl.md");

  private AclRules() {}

  /** The role's rules as the document writes them: everything after the user name. */
  static List<String> documented(Role role) {
    String start = "ACL SETUSER " + role.documentedUser + " ";
    List<String> lines;
    try {
      lines = Files.readAllLines(DOC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DOC.toAbsolutePath(), e);
    }
    for (String line : lines) {
      if (line.startsWith(start)) {
        return List.of(line.substring(start.length()).trim().split(" +"));
      }
    }
    throw new IllegalStateException(DOC.toAbsolutePath() + " has no line starting " + start);
  }

  /** The role's rules for key prefix {@code prefix} and namespace {@code namespace}. */
  static List<String> rules(Role role, String prefix, String namespace) {
    List<String> rules = new ArrayList<>();
    for (String rule : documented(role)) {
      rules.add(
          rule.replace("freshcache:{shop}:", prefix + ":{" + namespace + "}:")
              .replace(">CHANGE-ME", ">" + PASSWORD));
    }
    return rules;
  }

  /** Runs {@code ACL SETUSER user rules...} on an admin connection. */
  static void setUser(
      StatefulRedisConnection<String, String> admin, String user, List<String> rules) {
    CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(user);
    rules.forEach(args::add);
    admin.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
  }

  /** The URI of {@code redis} for {@code user}, with the tests' password. */
  static String uri(PrivateRedis redis, String user) {
    return "redis://" + user + ":" + PASSWORD + "@127.0.0.1:" + redis.port;
  }

  /** What {@code ACL LOG} holds, one line per entry: reason, context and object. */
  static List<String> refusals(StatefulRedisConnection<String, String> admin) {
    List<String> out = new ArrayList<>();
    for (Map<String, Object> entry : admin.sync().aclLog()) {
      out.add(
          entry.get("reason")
              + " "
              + entry.get("context")
              + " "
              + entry.get("object")
              + " by "
              + entry.get("username"));
    }
    return out;
  }

  /** A copy of {@code rules} without one of them. */
  static List<String> without(List<String> rules, String rule) {
    List<String> out = new ArrayList<>(rules);
    if (!out.remove(rule)) {
      throw new IllegalArgumentException(
          rule + " is not among " + Arrays.toString(rules.toArray()));
    }
    return out;
  }
}
