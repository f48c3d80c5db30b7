package io.freshcache.cli.simulate;

import io.freshcache.CacheGroup;
import io.freshcache.FreshCacheBuilder;
import io.freshcache.Tags;
import io.freshcache.Writes;
import io.freshcache.event.Invalidation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The invalidation strategies {@code freshcache simulate} compares on several instances sharing one
 * bus: how a write reaches the database and how the other instances learn of it. Every instance's
 * product cache also has a 30 s TTL, as a safety net; {@code no-invalidation} has nothing else, and
 * is the baseline. Their order is the order of the report.
 *
 * <p>Each strategy adds its settings to the product cache of every instance ({@link #configure})
 * and performs the trace's writes on the instance that issues them ({@link #write}).
 */
enum InvalidationStrategy implements Strategy {
  NO_INVALIDATION(
      "no-invalidation", "ttl(30s) only: a write updates the database and nothing else") {
    @Override
    long[] write(Instance writer, Product next) throws Exception {
      writer.database().write(next);
      return new long[] {next.id()};
    }
  },
  MANUAL("manual", "update the database, then products.invalidate(id) on the writer") {
    @Override
    long[] write(Instance writer, Product next) throws Exception {
      writer.database().write(next);
      writer.products().invalidate(next.id());
      return new long[] {next.id()};
    }
  },
  PUB_SUB(
      "pub-sub",
      "update the database, then group.publish(\"product.price_changed\","
          + " Invalidation.keys(\"product:<id>\"), {product_id}); each instance handles product.*") {
    @Override
    long[] write(Instance writer, Product next) throws Exception {
      writer.database().write(next);
      String key = writer.products().keyName(next.id());
      writer.group().publish(PRICE_CHANGED, Invalidation.keys(key), domainData(next));
      return new long[] {next.id()};
    }
  },
  UPDATE_EVENT(
      "update-event",
      "as pub-sub, with an Invalidation.Update carrying the new row at its version;"
          + " .version(Product::version)") {
    @Override
    FreshCacheBuilder<Long, Product> configure(
        FreshCacheBuilder<Long, Product> products, ProductWriter writer, Categories categories) {
      return products.version(Product::version);
    }

    @Override
    long[] write(Instance writer, Product next) throws Exception {
      writer.database().write(next);
      String key = writer.products().keyName(next.id());
      Invalidation update =
          new Invalidation.Update(
              null, List.of(key), Map.of(key, wireForm(next)), OptionalLong.of(next.version()));
      writer.group().publish(PRICE_CHANGED, update, domainData(next));
      return new long[] {next.id()};
    }
  },
  WRITE_THROUGH(
      "write-through",
      "products.put(id, p) with Writes.through(writer): the database, then the cache") {
    @Override
    FreshCacheBuilder<Long, Product> configure(
        FreshCacheBuilder<Long, Product> products, ProductWriter writer, Categories categories) {
      return products.writes(Writes.through(writer));
    }
  },
  WRITE_AROUND(
      "write-around",
      "products.put(id, p) with Writes.around(writer): the database, then invalidate everywhere") {
    @Override
    FreshCacheBuilder<Long, Product> configure(
        FreshCacheBuilder<Long, Product> products, ProductWriter writer, Categories categories) {
      return products.writes(Writes.around(writer));
    }
  },
  WRITE_BEHIND(
      "write-behind",
      "products.put(id, p) with Writes.behind(writer).flushEvery(5ms): the cache now, the"
          + " database later") {
    @Override
    FreshCacheBuilder<Long, Product> configure(
        FreshCacheBuilder<Long, Product> products, ProductWriter writer, Categories categories) {
      return products.writes(Writes.behind(writer).flushEvery(FLUSH_EVERY));
    }
  },
  TAGS(
      "tags",
      "products tagged category:<c>; a write reprices its product's whole category, then"
          + " group.invalidateTag(\"category:<c>\")") {
    @Override
    FreshCacheBuilder<Long, Product> configure(
        FreshCacheBuilder<Long, Product> products, ProductWriter writer, Categories categories) {
      return products.tags((id, product) -> Tags.of(Categories.tag(categories.categoryOf(id))));
    }

    /** Reprices the category by 90% to 110%, a share drawn from the trace's new price. */
    @Override
    long[] write(Instance writer, Product next) throws Exception {
      Categories categories = writer.database().categories();
      long category = categories.categoryOf(next.id());
      int percent = 90 + (int) (next.priceCents() % 21);
      writer.database().repriceCategory(category, percent);
      writer.group().invalidateTag(Categories.tag(category));
      return categories.productsOf(category);
    }
  },
  DEPENDENCY(
      "dependency",
      "category summaries derived from their products (.dependsOn); update the database, then"
          + " group.invalidateCascade(\"product:<id>\")") {
    @Override
    long[] write(Instance writer, Product next) throws Exception {
      writer.database().write(next);
      writer.group().invalidateCascade(writer.products().keyName(next.id()));
      return new long[] {next.id()};
    }
  },
  VERSIONS(
      "versions",
      "products carry .version(Product::version); update the database, then"
          + " group.invalidate(new Invalidation.Keys(null, [\"product:<id>\"], false,"
          + " OptionalLong.of(version)))") {
    @Override
    FreshCacheBuilder<Long, Product> configure(
        FreshCacheBuilder<Long, Product> products, ProductWriter writer, Categories categories) {
      return products.version(Product::version);
    }

    @Override
    long[] write(Instance writer, Product next) throws Exception {
      writer.database().write(next);
      String key = writer.products().keyName(next.id());
      writer
          .group()
          .invalidate(
              new Invalidation.Keys(null, List.of(key), false, OptionalLong.of(next.version())));
      return new long[] {next.id()};
    }
  };

  /** The lifetime of every entry, on every instance: the safety net behind each strategy. */
  static final Duration TTL = Duration.ofSeconds(30);

  /** How long write-behind lets a write wait for its batch, in real time. */
  static final Duration FLUSH_EVERY = Duration.ofMillis(5);

  /** The domain event of pub-sub and update-event. */
  static final String PRICE_CHANGED = "product.price_changed";

  /** What every instance's event handler subscribes to. */
  static final String SUBSCRIPTION = "product.*";

  private final String label;
  private final String description;

  InvalidationStrategy(String label, String description) {
    this.label = label;
    this.description = description;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public String description() {
    return description;
  }

  /**
   * Adds this strategy's settings to an instance's product cache, which already has its key prefix,
   * source, clock and {@link #TTL}.
   */
  FreshCacheBuilder<Long, Product> configure(
      FreshCacheBuilder<Long, Product> products, ProductWriter writer, Categories categories) {
    return products;
  }

  /**
   * Performs one write of the trace on {@code writer}, the instance that issues it: product {@code
   * next.id()} gets a new price at {@code next.version()}, one above its last acknowledged version.
   * The default puts it through the cache's {@link Writes} policy.
   *
   * @return the ids of the products this write moved one version up, once it returns (is
   *     acknowledged)
   */
  long[] write(Instance writer, Product next) throws Exception {
    writer.products().put(next.id(), next);
    return new long[] {next.id()};
  }

  /** Whether each write publishes a domain event, which every instance's handler sees. */
  boolean publishesEvents() {
    return this == PUB_SUB || this == UPDATE_EVENT;
  }

  /** Whether each instance also caches category summaries derived from its products. */
  boolean derivesSummaries() {
    return this == DEPENDENCY;
  }

  /** A product as the bus's JSON carries it, for {@link CacheGroup}s to turn back into one. */
  private static Map<String, Object> wireForm(Product product) {
    return Map.of(
        "id", product.id(),
        "name", product.name(),
        "priceCents", product.priceCents(),
        "version", product.version());
  }

  private static Map<String, Object> domainData(Product product) {
    return Map.of("product_id", product.id(), "price_cents", product.priceCents());
  }
}
