package io.headroom.controller.site;

import java.util.List;

/**
 * Device ids that more than one agent claims, as ingest knows them. The state store keeps one owner
 * per id and refuses a second live claimant without remembering it, so until ingest records refused
 * claims this is {@link #none()}; the site view still reports a device whose owner differs from the
 * agent {@code site.yaml} names ({@link SiteProblem#AGENT_MISMATCH}).
 */
@FunctionalInterface
public interface ClaimConflicts {

    /** Current conflicts, each as a {@link SiteProblem#CLAIMED_TWICE} problem. */
    List<SiteProblem> current();

    static ClaimConflicts none() {
        return List::of;
    }
}
