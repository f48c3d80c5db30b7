package io.freshcache.spring.boot.shop;

/** A row of the test shop's products table. */
public record Product(long id, String name, long priceCents) {}
