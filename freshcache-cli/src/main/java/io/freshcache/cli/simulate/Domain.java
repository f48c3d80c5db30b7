package io.freshcache.cli.simulate;

import java.util.ArrayList;
import java.util.List;

/**
 * The sizes and relations of the domain workload: users in regions, with a profile, preferences and
 * permissions each; products in categories, with details, a price and a stock per warehouse;
 * analytics reports; and the views derived from them. Keys are numbered from 1 within an entity;
 * {@link #suffix} turns one into the part of its name after the entity's prefix. Immutable.
 *
 * @param users user ids 1..users
 * @param regions users fall into regions round-robin: user u lives in region (u - 1) % regions + 1
 * @param products product ids 1..products
 * @param categories product p is in category (p - 1) % categories + 1
 * @param warehouses every product has a stock in every warehouse
 * @param reports analytics report ids 1..reports
 */
record Domain(int users, int regions, int products, int categories, int warehouses, int reports) {

  /** A category's product list shows at most this many products. */
  static final int LIST_PAGE = 20;

  Domain {
    if (users < 1 || regions < 1 || products < 1 || categories < 1 || warehouses < 1) {
      throw new IllegalArgumentException("every size of the domain must be at least 1");
    }
    if (reports < 1 || regions > users || categories > products) {
      throw new IllegalArgumentException(
          "need reports >= 1, regions <= users and categories <= products");
    }
  }

  /** The default domain: 2,000 users in 10 regions, 1,000 products in 50 categories. */
  static Domain defaults() {
    return new Domain(2_000, 10, 1_000, 50, 4, 50);
  }

  /** How many keys {@code entity} has. */
  int keys(Entity entity) {
    return switch (entity) {
      case PROFILE, PREFERENCES, PERMISSIONS, FEED, RECOMMENDATIONS, DASHBOARD -> users;
      case PRODUCT, PRICE -> products;
      case CATEGORY_LIST -> categories;
      case INVENTORY -> products * warehouses;
      case REPORT -> reports;
    };
  }

  /** The part of key {@code index} (1-based) of {@code entity}'s name after its prefix. */
  String suffix(Entity entity, int index) {
    return switch (entity) {
      case CATEGORY_LIST -> index + ":products:page:1";
      case INVENTORY -> productOfStock(index) + ":w" + warehouseOfStock(index);
      default -> Integer.toString(index);
    };
  }

  /** The whole name of key {@code index} of {@code entity}, as the bus carries it. */
  String key(Entity entity, int index) {
    return entity.prefix() + suffix(entity, index);
  }

  /** The index of the stock of {@code product} in {@code warehouse}. */
  int stockIndex(int product, int warehouse) {
    return (product - 1) * warehouses + warehouse;
  }

  int productOfStock(int index) {
    return (index - 1) / warehouses + 1;
  }

  int warehouseOfStock(int index) {
    return (index - 1) % warehouses + 1;
  }

  int regionOf(int user) {
    return (user - 1) % regions + 1;
  }

  int categoryOf(int product) {
    return (product - 1) % categories + 1;
  }

  /** The products a category's list shows, in increasing order, at most {@link #LIST_PAGE}. */
  List<Integer> listOf(int category) {
    List<Integer> ids = new ArrayList<>();
    for (int p = category; p <= products && ids.size() < LIST_PAGE; p += categories) {
      ids.add(p);
    }
    return ids;
  }

  /** Every product of a category. */
  List<Integer> productsOf(int category) {
    List<Integer> ids = new ArrayList<>();
    for (int p = category; p <= products; p += categories) {
      ids.add(p);
    }
    return ids;
  }

  /** Every user of a region. */
  List<Integer> usersOf(int region) {
    List<Integer> ids = new ArrayList<>();
    for (int u = region; u <= users; u += regions) {
      ids.add(u);
    }
    return ids;
  }

  /** This domain grown, where needed, to hold the given sizes. */
  Domain atLeast(Domain other) {
    return new Domain(
        Math.max(users, other.users),
        Math.min(Math.max(users, other.users), Math.max(regions, other.regions)),
        Math.max(products, other.products),
        Math.min(Math.max(products, other.products), Math.max(categories, other.categories)),
        Math.max(warehouses, other.warehouses),
        Math.max(reports, other.reports));
  }

  /** The index of the key whose name after {@code entity}'s prefix is {@code suffix}. */
  int indexOf(Entity entity, String suffix) {
    try {
      return switch (entity) {
        case CATEGORY_LIST -> Integer.parseInt(suffix.substring(0, suffix.indexOf(':')));
        case INVENTORY -> {
          int w = suffix.indexOf(":w");
          yield stockIndex(
              Integer.parseInt(suffix.substring(0, w)), Integer.parseInt(suffix.substring(w + 2)));
        }
        default -> Integer.parseInt(suffix);
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a key of " + entity.label() + ": " + suffix, e);
    }
  }
}
