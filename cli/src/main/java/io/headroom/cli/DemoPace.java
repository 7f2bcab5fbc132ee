package io.headroom.cli;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast the simulated site and its control engine move on the wall clock. The demo runs at
 * {@link #REAL}: a miner boots as long as a real one and the engine keeps its documented defaults
 * ({@code docs/control-engine.md}), so that what an operator watches is what a site does. Tests of
 * the whole site over real sockets run at {@link #fast()}: the same behaviour, every wall-clock
 * pause shortened, so that a restore or a reboot is seconds away rather than a minute.
 *
 * @param bootDelay how long a miner boots after its outlet comes back on
 * @param engine the engine's pacing written into {@code controller.yaml}; null for its defaults
 */
record DemoPace(Duration bootDelay, EnginePacing engine) {

    /** The documented demo: real boot time, the engine's defaults. */
    static final DemoPace REAL = new DemoPace(Duration.ofSeconds(30), null);

    DemoPace {
        Objects.requireNonNull(bootDelay, "bootDelay");
        if (bootDelay.isNegative()) {
            throw new IllegalArgumentException("bootDelay: must not be negative, was " + bootDelay);
        }
    }

    /** Seconds rather than minutes: a 3 s boot, and an engine that may restore 5 s after a shed. */
    static DemoPace fast() {
        return new DemoPace(
                Duration.ofSeconds(3),
                new EnginePacing(
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(3)));
    }

    /**
     * The engine's wall-clock pacing (the keys of {@code engine:} in {@code controller.yaml}); the rest
     * of the engine's settings keep their defaults.
     */
    record EnginePacing(
            Duration restoreDwell,
            Duration minCurtailed,
            Duration cooldown,
            Duration restoreInterval,
            Duration minCommandInterval) {

        /** The {@code engine:} section of {@code controller.yaml}. */
        String yaml() {
            return "engine:\n"
                    + "  restore-dwell: " + restoreDwell.toMillis() + "ms\n"
                    + "  min-curtailed: " + minCurtailed.toMillis() + "ms\n"
                    + "  cooldown: " + cooldown.toMillis() + "ms\n"
                    + "  restore-interval: " + restoreInterval.toMillis() + "ms\n"
                    + "  min-command-interval: " + minCommandInterval.toMillis() + "ms\n";
        }
    }
}
