package io.headroom.controller.store;

import java.util.List;

/**
 * What the store asks of whoever runs the agents' sessions (ingest) when an admin hands a device in
 * conflict over from its owner to the agents that claim it: whether the owner is still connected
 * (a live owner keeps its device), and telling the claimants to register it with a fresh Birth.
 */
public interface OwnershipHandover {

    /** Until ingest registers itself, every owner counts as connected: nothing can be released. */
    OwnershipHandover NONE = new OwnershipHandover() {
        @Override
        public boolean connected(String agent) {
            return true;
        }

        @Override
        public void released(String deviceId, List<String> claimants) {}
    };

    /** True while {@code agent} has a live connection. Called under the store's lock: must not block. */
    boolean connected(String agent);

    /** {@code deviceId} no longer has an owner; {@code claimants} (claim order) may now register it. */
    void released(String deviceId, List<String> claimants);
}
