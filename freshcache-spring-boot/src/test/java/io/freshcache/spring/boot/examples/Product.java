package io.freshcache.spring.boot.examples;

/** The README's product. */
public record Product(long id, String name, long categoryId) {}
