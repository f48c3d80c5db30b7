package io.freshcache;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which entries were derived from which keys, in one group instance: the edges {@code source key →
 * dependent entry}. An edge lives exactly as long as the entry that declared it: it is added before
 * the entry becomes visible and removed when the entry leaves the cache for any reason
 * (invalidation, eviction, expiry, replacement), so the graph never outgrows the caches.
 *
 * <p>Walks are iterative with a visited set: a cascade over a 100,000-deep chain uses no stack, and
 * a cycle (possible across caches or instances) ends the walk instead of looping.
 */
final class DependencyGraph {

  /** One entry in one cache, by the key object and its string form. */
  record Node(GroupMember cache, Object key, String name) {}

  /** How far a cycle check walks before it gives up (and refuses the edge, to stay safe). */
  static final int MAX_WALK = 1_000_000;

  private final Map<String, Map<Node, Entry<?>>> dependents = new ConcurrentHashMap<>();

  void register(Node node, Entry<?> entry, String[] sources) {
    for (String source : sources) {
      dependents.computeIfAbsent(source, s -> new ConcurrentHashMap<>()).put(node, entry);
    }
  }

  void unregister(Node node, Entry<?> entry, String[] sources) {
    for (String source : sources) {
      dependents.computeIfPresent(
          source,
          (s, nodes) -> {
            nodes.remove(node, entry);
            return nodes.isEmpty() ? null : nodes;
          });
    }
  }

  /**
   * Every entry derived, transitively, from {@code roots}, each once; the roots themselves are not
   * included unless something derived from a root is itself named like one.
   */
  List<Node> dependentsOf(Collection<String> roots) {
    List<Node> found = new ArrayList<>();
    Set<String> visited = new HashSet<>(roots);
    ArrayDeque<String> queue = new ArrayDeque<>(roots);
    Set<Node> seen = new HashSet<>();
    while (!queue.isEmpty()) {
      Map<Node, Entry<?>> nodes = dependents.get(queue.poll());
      if (nodes == null) {
        continue;
      }
      for (Node node : nodes.keySet()) {
        if (seen.add(node)) {
          found.add(node);
        }
        if (visited.add(node.name)) {
          queue.add(node.name);
        }
      }
    }
    return found;
  }

  /**
   * The path by which {@code name} would depend on itself if it were derived from {@code sources},
   * or {@code null} if it would not: a walk from {@code name} down its dependents that reaches one
   * of the sources.
   */
  List<String> cycleThrough(String name, Set<String> sources) {
    if (sources.contains(name)) {
      return List.of(name, name);
    }
    Map<String, String> parent = new java.util.HashMap<>();
    ArrayDeque<String> queue = new ArrayDeque<>();
    queue.add(name);
    parent.put(name, null);
    int walked = 0;
    while (!queue.isEmpty()) {
      String current = queue.poll();
      if (++walked > MAX_WALK) {
        return List.of(name, "... (more than " + MAX_WALK + " dependents: refused to be safe)");
      }
      Map<Node, Entry<?>> nodes = dependents.get(current);
      if (nodes == null) {
        continue;
      }
      for (Node node : nodes.keySet()) {
        if (parent.containsKey(node.name)) {
          continue;
        }
        parent.put(node.name, current);
        if (sources.contains(node.name)) {
          List<String> path = new ArrayList<>();
          for (String at = node.name; at != null; at = parent.get(at)) {
            path.add(0, at);
          }
          path.add(name);
          return path;
        }
        queue.add(node.name);
      }
    }
    return null;
  }

  /** Number of edges held; for tests and analytics. */
  int edgeCount() {
    return dependents.values().stream().mapToInt(Map::size).sum();
  }
}
