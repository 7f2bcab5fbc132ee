package io.headroom.controller.site;

import java.util.Objects;

/**
 * Something wrong with the site as the controller sees it now (not with the file: those refuse the
 * file at load), shown in the API's {@code problems}.
 *
 * @param code stable, machine-readable: {@code claimed-twice}, {@code agent-mismatch},
 *     {@code no-power-figure}
 * @param device the device it is about
 * @param message for humans: what is wrong and what to do
 */
public record SiteProblem(String code, String device, String message) {

    /** A device id that two agents claim: never a silent first-come owner. */
    public static final String CLAIMED_TWICE = "claimed-twice";

    /** A device reported by another agent than {@code site.yaml} names. */
    public static final String AGENT_MISMATCH = "agent-mismatch";

    /** A device with no reading and no nameplate: counted as 0 kW. */
    public static final String NO_POWER_FIGURE = "no-power-figure";

    public SiteProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(message, "message");
    }
}
