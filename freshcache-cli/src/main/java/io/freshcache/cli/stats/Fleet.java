package io.freshcache.cli.stats;

import io.freshcache.stats.InstanceStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The instances of a group as their statuses describe them at one moment: each with its newest
 * status, its state and how long ago it was heard. Judged on one clock, Redis's: a status's time is
 * the id Redis gave it in the log, and "now" is Redis's {@code TIME}, so no host's clock enters.
 *
 * @param instances newest first within a state: up, suspended, gone, closed
 * @param nowMillis the moment judged, Redis's clock
 */
record Fleet(List<Member> instances, long nowMillis) {

  /** Missed statuses in a row after which an instance is gone. */
  static final int MISSED_TO_BE_GONE = 3;

  /** What an instance is now. */
  enum State {
    /** Reporting, and its local entries are trusted (the bus vouches for delivery). */
    UP("up"),
    /** Reporting, but serving no local hits: the bus could not vouch for delivery. */
    SUSPENDED("suspended"),
    /** Stopped reporting without saying goodbye: killed, frozen or cut off. */
    GONE("gone"),
    /** Closed its group and said so. */
    CLOSED("closed");

    final String label;

    State(String label) {
      this.label = label;
    }
  }

  /** A status as the log holds it: when Redis took it in, and what it says. */
  record Heard(long atMillis, InstanceStatus status) {}

  /**
   * One instance.
   *
   * @param newest its newest status
   * @param heardAtMillis when Redis took that status in
   * @param state what it is now
   * @param silentFor how long since it was heard
   * @param windowHits hits between its oldest and newest status in the window, or -1 if only one
   * @param windowMisses misses likewise
   */
  record Member(
      InstanceStatus newest,
      long heardAtMillis,
      State state,
      Duration silentFor,
      long windowHits,
      long windowMisses) {

    /** The hit ratio over the window where two statuses span it, else since the start. */
    double hitRatio() {
      if (windowHits < 0) {
        return newest.hitRatio();
      }
      long requests = windowHits + windowMisses;
      return requests == 0 ? 0 : (double) windowHits / requests;
    }

    /** Requests behind {@link #hitRatio()}. */
    long requests() {
      return windowHits < 0 ? newest.hits() + newest.misses() : windowHits + windowMisses;
    }
  }

  /** The fleet that {@code heard} (in any order) describes at {@code nowMillis}. */
  static Fleet of(List<Heard> heard, long nowMillis) {
    Map<String, Heard> oldest = new LinkedHashMap<>();
    Map<String, Heard> newest = new LinkedHashMap<>();
    for (Heard h : heard) {
      String id = h.status().instanceId();
      oldest.merge(id, h, (a, b) -> b.atMillis() < a.atMillis() ? b : a);
      newest.merge(id, h, (a, b) -> b.atMillis() >= a.atMillis() ? b : a);
    }
    List<Member> members = new ArrayList<>();
    for (Heard last : newest.values()) {
      Heard first = oldest.get(last.status().instanceId());
      InstanceStatus s = last.status();
      long silent = Math.max(0, nowMillis - last.atMillis());
      State state;
      if (s.closing()) {
        state = State.CLOSED;
      } else if (silent > MISSED_TO_BE_GONE * s.interval().toMillis()) {
        state = State.GONE;
      } else if (!s.live()) {
        state = State.SUSPENDED;
      } else {
        state = State.UP;
      }
      boolean spans = first != last && first.status().startedAt().equals(s.startedAt());
      members.add(
          new Member(
              s,
              last.atMillis(),
              state,
              Duration.ofMillis(silent),
              spans ? s.hits() - first.status().hits() : -1,
              spans ? s.misses() - first.status().misses() : -1));
    }
    members.sort(
        Comparator.comparing(Member::state)
            .thenComparing(m -> m.newest().host())
            .thenComparing(m -> m.newest().instanceId()));
    return new Fleet(List.copyOf(members), nowMillis);
  }

  /** How many instances are in {@code state}. */
  long count(State state) {
    return instances.stream().filter(m -> m.state() == state).count();
  }
}
