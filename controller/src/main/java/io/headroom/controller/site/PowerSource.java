package io.headroom.controller.site;

/**
 * Where a load figure comes from; {@link #wireName()} is the API's {@code source}. For a device, in
 * the order they are tried: {@link #METERED}, {@link #DEVICE}, then, without a live reading, the
 * higher of the last known reading ({@link #LAST_KNOWN}) and the nameplate ({@link #OVERRIDE} from
 * {@code site.yaml}, else {@link #NAMEPLATE} from the profile). For a node: {@link #METERED} or
 * {@link #SUM} of its children.
 */
public enum PowerSource {
    /** A live reading of a meter: a PDU outlet for a device, the node's own meter for a node. */
    METERED("metered"),
    /** The device's own live {@code power} reading. */
    DEVICE("device"),
    /** A reading that is no longer live (stale device or old sample), higher than the nameplate. */
    LAST_KNOWN("last-known"),
    /** The {@code nameplate-w} of {@code site.yaml}. */
    OVERRIDE("override"),
    /** The firmware profile's nameplate. */
    NAMEPLATE("nameplate"),
    /** No reading and no nameplate: counted as 0 kW, and reported as a site problem. */
    UNKNOWN("unknown"),
    /** The sum of the node's children. */
    SUM("sum");

    private final String wireName;

    PowerSource(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
