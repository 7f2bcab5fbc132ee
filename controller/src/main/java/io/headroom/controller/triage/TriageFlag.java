package io.headroom.controller.triage;

import java.util.Locale;
import java.util.Optional;

/**
 * Why a technician should look at a device: the flags of {@code GET /api/v1/devices?flag=} and of
 * the web page's quick filters. A device has none, one or several; each comes with its reason in
 * words ({@link DeviceTriage}). Their rules are in {@code docs/http-api.md}, "Triage flags".
 */
public enum TriageFlag {
    /** Its hottest chip is at or above the site's {@code device-hot-c} (the alert's threshold). */
    HOT,
    /** OFFLINE: its agent cannot read it. */
    OFFLINE,
    /** STALE: nothing fresh from its agent. */
    STALE,
    /** A miner hashing well below what its nameplate gives at its power target. */
    UNDER_HASHING,
    /** A fan stopped while the device works. */
    FAN_FAILED,
    /** One hash board hashing next to nothing while the others work. */
    BOARD_FAILED,
    /** No profile matches it, or two agents claim its id. */
    MISCONFIGURED,
    /** Asleep, capped or switched off: by the engine (which says for what) or by someone else. */
    CURTAILED;

    private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The name in the API and the page, e.g. {@code under-hashing}. */
    public String wireName() {
        return wireName;
    }

    /** The flag named {@code wireName}, if there is one. */
    public static Optional<TriageFlag> parse(String wireName) {
        for (TriageFlag flag : values()) {
            if (flag.wireName.equals(wireName)) {
                return Optional.of(flag);
            }
        }
        return Optional.empty();
    }
}
