/**
 * {@code headroom backtest}: the control engine, reservation book and market rules in simulated time
 * over a simulated site, beside two baselines (docs/backtest.md). No threads, sockets or wall clock.
 */
@NullMarked
package io.headroom.cli.backtest;

import org.jspecify.annotations.NullMarked;
