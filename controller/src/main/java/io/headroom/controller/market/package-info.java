/**
 * Economics of a mixed hashing and AI site ({@code docs/market.md}): price inputs through one
 * {@link io.headroom.controller.market.PriceSource} interface (files, HTTP), staleness with a
 * configured fail-safe, per-model break-even, strike rules with dwell ({@link
 * io.headroom.controller.market.MarketEvaluator}, a pure state machine: time is always passed in)
 * and the hourly {@link io.headroom.controller.market.MarketLedger}.
 */
@NullMarked
package io.headroom.controller.market;

import org.jspecify.annotations.NullMarked;
