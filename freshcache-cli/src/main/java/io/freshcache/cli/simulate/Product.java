package io.freshcache.cli.simulate;

/**
 * One row of the simulator's {@code products} table, as the cache holds it.
 *
 * @param id the primary key, from 1
 * @param name the product's name
 * @param priceCents the price, in cents
 * @param version starts at 1 and goes up by one with every update of the row; a cached product
 *     whose version is below the row's is stale
 */
record Product(long id, String name, long priceCents, long version) {}
