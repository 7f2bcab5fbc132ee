package io.headroom.simulator.site;

import java.util.List;
import java.util.Objects;

/**
 * One rack of a {@link SitePower}: the PDU outlets its miners hang on.
 *
 * @param id      rack id, e.g. {@code rack-1}
 * @param miners  site indices of the miners, in outlet order: {@code miners.get(i)} is fed by outlet {@code i + 1}
 * @param outlets number of outlets on the rack's PDU (at least the number of miners; the rest feed nothing)
 */
public record RackSpec(String id, List<Integer> miners, int outlets) {
    public RackSpec {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("id: must not be empty");
        }
        miners = List.copyOf(miners);
        if (outlets < 1 || outlets > 96) {
            throw new IllegalArgumentException("outlets: must be in [1, 96], got " + outlets);
        }
        if (miners.size() > outlets) {
            throw new IllegalArgumentException(
                    "miners: " + miners.size() + " miners do not fit on " + outlets + " outlets of rack " + id);
        }
    }
}
