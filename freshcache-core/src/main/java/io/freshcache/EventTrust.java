package io.freshcache;

import io.freshcache.event.EventKeys;
import io.freshcache.event.Invalidation;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;

/**
 * What an event from the bus may change, by how far it can be trusted. One place for the rule:
 *
 * <ul>
 *   <li>signed with one of the group's {@link EventKeys}: applied as sent, values and versions
 *       included, except that no key's version may jump more than {@code maxVersionStep} above the
 *       highest this instance knows for it (such an event only invalidates);
 *   <li>carrying a {@code sig} field that does not verify (unknown key id, wrong HMAC, changed
 *       text, a field not in the recipe's shape): forged, and changes nothing;
 *   <li>unsigned (or any event, in a group without keys): invalidates as sent, but an {@code
 *       update} writes no values and no key invalidation carries its version.
 * </ul>
 *
 * <p>Invalidating is open to anyone who may publish on the channels, by design (plain publishers
 * need no secret); writing values and versions is not, or one PUBLISH could make every instance
 * serve a forged value and refuse the application's own next version. Immutable, thread-safe.
 */
final class EventTrust {

  /** How far a message can be trusted. */
  enum Verdict {
    SIGNED,
    UNSIGNED,
    FORGED
  }

  private final EventKeys keys;
  private final long maxVersionStep;

  /**
   * @param keys the group's keys, or null: then every event counts as unsigned
   */
  EventTrust(EventKeys keys, long maxVersionStep) {
    this.keys = keys;
    this.maxVersionStep = maxVersionStep;
  }

  /**
   * The verdict on a message that {@link EventKeys#split} split into {@code signature} (null if it
   * ends with none) and whose decoded text {@code hasSigField} at its top level.
   */
  Verdict verdict(EventKeys.Signed signature, boolean hasSigField) {
    if (keys == null) {
      return Verdict.UNSIGNED;
    }
    if (signature == null) {
      return hasSigField ? Verdict.FORGED : Verdict.UNSIGNED;
    }
    return keys.verify(signature) ? Verdict.SIGNED : Verdict.FORGED;
  }

  /**
   * What an event with this verdict (not forged) may do: {@code invalidation} itself, or a plain
   * invalidation of the same keys when values or versions had to be stripped.
   *
   * @param known the highest version this instance knows for a key, or {@link
   *     InvalidationHistory#NO_VERSION}
   */
  Invalidation allowed(Invalidation invalidation, Verdict verdict, ToLongFunction<String> known) {
    if (verdict == Verdict.FORGED) {
      throw new IllegalArgumentException("a forged event may change nothing");
    }
    return invalidation.match(
        new KeyedRewrite() {
          @Override
          public Invalidation keys(Invalidation.Keys keys) {
            return keys.version().isEmpty()
                    || verdict == Verdict.SIGNED && withinStep(keys.keys(), keys.version(), known)
                ? keys
                : new Invalidation.Keys(
                    keys.cache(), keys.keys(), keys.cascade(), OptionalLong.empty());
          }

          @Override
          public Invalidation update(Invalidation.Update update) {
            if (update.version().isEmpty() && update.values().isEmpty()) {
              return update;
            }
            return verdict == Verdict.SIGNED && withinStep(update.keys(), update.version(), known)
                ? update
                : new Invalidation.Keys(update.cache(), update.keys(), false, OptionalLong.empty());
          }
        });
  }

  private boolean withinStep(
      List<String> keyNames, OptionalLong version, ToLongFunction<String> known) {
    if (version.isEmpty()) {
      return true;
    }
    long v = version.getAsLong();
    for (String key : keyNames) {
      long highest = known.applyAsLong(key);
      if (highest == InvalidationHistory.NO_VERSION || v <= highest) {
        continue;
      }
      long step = v - highest;
      if (step < 0 || step > maxVersionStep) { // step < 0: the difference overflowed
        return false;
      }
    }
    return true;
  }
}
