package io.headroom.controller.site;

import io.headroom.controller.store.StateStore;
import java.util.List;

/**
 * Device ids that more than one agent claims, as ingest knows them: the state store keeps the first
 * owner and names every claimant in the device's {@code conflict} (decision D19). The site view also
 * reports a device whose owner differs from the agent {@code site.yaml} names
 * ({@link SiteProblem#AGENT_MISMATCH}).
 */
@FunctionalInterface
public interface ClaimConflicts {

    /** Current conflicts, each as a {@link SiteProblem#CLAIMED_TWICE} problem. */
    List<SiteProblem> current();

    static ClaimConflicts none() {
        return List::of;
    }

    /**
     * The conflicts the state store has recorded, read from its live records: the site view asks every tick
     * while a page is open, and a view of every device each time would be the burst of D64.
     */
    static ClaimConflicts of(StateStore store) {
        return () -> store.records().stream()
                .filter(d -> !d.conflict().isEmpty())
                .map(d -> new SiteProblem(
                        SiteProblem.CLAIMED_TWICE,
                        d.id(),
                        d.id() + " is claimed by " + String.join(" and ", d.conflict())
                                + "; commands to it are refused until one agent stops reporting it"))
                .toList();
    }
}
