/**
 * Test fixtures shipped in freshcache-core's test-jar: a fake clock and a step-by-step executor, so
 * that every time-based and background behaviour is tested deterministically.
 */
package io.freshcache.testing;
