package io.headroom.controller.reservation;

import io.headroom.controller.site.SiteNodeKind;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a reservation's capacity is: a node of the power tree (the site, a feed, a PDU, a circuit, a
 * rack) or a cooling zone.
 *
 * @param kind the node's kind, or null for a cooling zone
 * @param id the node's or the zone's id
 */
public record ReservationScope(@Nullable SiteNodeKind kind, String id) {

    public ReservationScope {
        Objects.requireNonNull(id, "id");
        if (kind == SiteNodeKind.DEVICE) {
            throw new IllegalArgumentException(
                    "a reservation's scope is a node of the power tree or a zone, not a device");
        }
    }

    /** The spelling of the kind in JSON: {@code site}, {@code feed} … or {@code zone}. */
    public String kindName() {
        return kind == null ? "zone" : kind.wireName();
    }

    /** Parses {@code kind} as written in JSON. */
    public static ReservationScope of(String kind, String id) {
        String lower = kind.toLowerCase(Locale.ROOT);
        if (lower.equals("zone")) {
            return new ReservationScope(null, id);
        }
        for (SiteNodeKind candidate : SiteNodeKind.values()) {
            if (candidate != SiteNodeKind.DEVICE && candidate.wireName().equals(lower)) {
                return new ReservationScope(candidate, id);
            }
        }
        throw new IllegalArgumentException(
                "scope.kind '" + kind + "' is not one of site, feed, pdu, circuit, rack, zone");
    }

    /** True when one scope's subtree contains or equals the other's (both nodes), or both are the same zone. */
    public boolean overlaps(
            ReservationScope other, java.util.function.BiPredicate<ReservationScope, ReservationScope> contains) {
        if (kind == null || other.kind == null) {
            return kind == other.kind && id.equals(other.id);
        }
        return contains.test(this, other) || contains.test(other, this);
    }

    @Override
    public String toString() {
        return kindName() + " " + id;
    }
}
