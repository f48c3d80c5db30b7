/**
 * The {@code freshcache} command-line tool. Start at {@link io.freshcache.cli.Main}: the command
 * tree, the exit codes, and how a failure is reported in one line.
 *
 * <p>Each command has a package of its own:
 *
 * <ul>
 *   <li>{@link io.freshcache.cli.simulate}: {@code freshcache simulate}, the strategy comparison;
 *   <li>{@link io.freshcache.cli.watch}: {@code freshcache watch}, which prints the events on
 *       Redis;
 *   <li>{@link io.freshcache.cli.invalidate}: {@code freshcache invalidate}, which publishes one.
 * </ul>
 *
 * <p>This package holds what they share: the option values ({@code DurationConverter}, {@code
 * RedisAddress} and its converter, the {@code --tls-*} mixin {@code TlsOptions}) and the rules of
 * the output ({@code Text} makes outside text safe to print on one line, {@code ByteSize} writes
 * amounts of memory). They are public only for the command packages; no command's own options or
 * logic live here.
 *
 * <p>The tool uses only the public API of {@code io.freshcache} and {@code io.freshcache.redis}
 * (plus Caffeine's {@code Ticker}, which that API takes, and Lettuce for watching); it never
 * reaches into the libraries' internals.
 */
package io.freshcache.cli;
