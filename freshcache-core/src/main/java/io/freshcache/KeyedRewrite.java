package io.freshcache;

import io.freshcache.event.Invalidation;

/**
 * A rewrite of the invalidations that name keys (a keys invalidation, an update), which leaves the
 * others as they are: tags, patterns and "all" only ever remove, carry no value or version, and
 * need no rewriting when they are sent late or arrive unsigned. A new kind of invalidation must be
 * placed on one side or the other here.
 */
abstract class KeyedRewrite implements Invalidation.Cases<Invalidation> {

  @Override
  public final Invalidation tags(Invalidation.Tags tags) {
    return tags;
  }

  @Override
  public final Invalidation pattern(Invalidation.Pattern pattern) {
    return pattern;
  }

  @Override
  public final Invalidation all(Invalidation.All all) {
    return all;
  }
}
