package io.headroom.agent.driver.vnish;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code points:} section of a {@code vnish} profile. What a poll reads is coded in the driver
 * (docs/drivers/vnish.md): the API names its fields the same on every model. The profile chooses which hashrate is
 * reported and whether an untuned preset may be selected.
 *
 * @param hashrate {@code realtime} ({@code hr_realtime}, {@code hashrate_rt}) or {@code average}
 *     ({@code hr_average}; boards have no average and report their real-time rate either way)
 * @param untunedPresets {@code refuse}: only presets whose autotune status is {@code tuned} are power targets (the
 *     firmware ignores untuned ones on the versions pyasic checked, reference/DEVICES.md §4.6); {@code allow}: any
 *     listed preset is (it starts a tuning run on firmware that honours it)
 */
public record VnishPoints(
        @Doc("Hashrate reported: realtime (hr_realtime) or average (hr_average).") @Default("realtime")
        String hashrate,

        @Doc("refuse: only tuned autotune presets are power targets; allow: untuned presets too.") @Default("refuse")
        String untunedPresets) {

    static final Set<String> HASHRATES = Set.of("realtime", "average");
    static final Set<String> UNTUNED = Set.of("refuse", "allow");

    public VnishPoints {
        Objects.requireNonNull(hashrate, "hashrate");
        if (!HASHRATES.contains(hashrate)) {
            throw new IllegalArgumentException("hashrate: '" + hashrate + "' is not one of [average, realtime]");
        }
        Objects.requireNonNull(untunedPresets, "untunedPresets");
        if (!UNTUNED.contains(untunedPresets)) {
            throw new IllegalArgumentException(
                    "untuned-presets: '" + untunedPresets + "' is not one of [allow, refuse]");
        }
    }

    /** True when an untuned preset may be selected. */
    boolean allowUntuned() {
        return untunedPresets.equals("allow");
    }
}
