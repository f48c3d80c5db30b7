/**
 * Fixtures of freshcache-core's own unit tests, not shipped: a fake clock, a step-by-step executor,
 * a counting source and buses that a test can cut, hold or make signal, so that every time-based,
 * background and bus-fault behaviour is tested deterministically. The published contract kits live
 * in freshcache-test ({@code io.freshcache.test}), which core's tests cannot depend on.
 */
package io.freshcache.testing;
