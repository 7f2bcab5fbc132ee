package io.headroom.controller.market;

/**
 * What the strike rules do while the strike price is stale or missing. There is no third policy
 * that keeps mining whatever the price: a lost feed must never be cheaper than a known high price.
 */
public enum FallbackPolicy {
    /** Strike every strikeable model (and configured class) at once. */
    CURTAIL,
    /** Use the configured price (e.g. a contract cap) as the energy price, at once. */
    ASSUME_PRICE
}
