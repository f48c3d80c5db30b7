package io.freshcache;

/**
 * Something to know about an entry when it is put: its {@link Tags}, what it {@link DependsOn}, its
 * {@link Version}. Passed to {@link FreshCache#put(Object, Object, PutOption...)}.
 */
public sealed interface PutOption permits Tags, DependsOn, Version {}
