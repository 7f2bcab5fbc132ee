package io.headroom.agent.driver.antminer;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.protocol.Mode;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code points:} section of an {@code antminer-web} profile. What a poll reads (stats, summary and
 * the miner configuration) is coded in the driver (docs/drivers/antminer.md); the profile says how the
 * work mode is spelt, since its codes differ between models (reference/DEVICES.md §4.2).
 *
 * @param modeKey the {@code get_miner_conf} key whose value is the work mode, read for {@code mode} and
 *     for the read-back of sleep and wake
 * @param writeKey the {@code set_miner_conf} key that sets the mode (some firmware reports
 *     {@code bitmain-work-mode} but obeys only {@code miner-mode}); both keys are written
 * @param modes the mode codes as the firmware spells them, to the mode they mean; a code not listed gives
 *     no {@code mode} reading
 * @param controls what each mode verb writes: {@code sleep} and {@code wake} to a code of {@code modes}
 */
public record AntminerPoints(
        @Doc("get_miner_conf key holding the work mode.") @Default("bitmain-work-mode")
        String modeKey,

        @Doc("set_miner_conf key that sets the work mode; the mode key is written too.") @Default("miner-mode")
        String writeKey,

        @Doc("Work mode codes as the firmware spells them → normal, sleep, low-power, high-power.")
        Map<String, Mode> modes,

        @Doc("Code each verb writes: sleep and wake.") Map<String, String> controls) {

    public AntminerPoints {
        Objects.requireNonNull(modeKey, "modeKey");
        Objects.requireNonNull(writeKey, "writeKey");
        if (modeKey.isBlank() || writeKey.isBlank()) {
            throw new IllegalArgumentException("mode-key: mode-key and write-key must not be empty");
        }
        modes = Map.copyOf(modes);
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("modes: must list at least one code");
        }
        controls = Map.copyOf(controls);
        for (Map.Entry<String, String> control : controls.entrySet()) {
            if (!control.getKey().equals("sleep") && !control.getKey().equals("wake")) {
                throw new IllegalArgumentException(
                        "controls: '" + control.getKey() + "' is not a mode verb; expected sleep or wake");
            }
            if (!modes.containsKey(control.getValue())) {
                throw new IllegalArgumentException("controls." + control.getKey() + ": code '" + control.getValue()
                        + "' is not one of modes " + modes.keySet());
            }
        }
    }
}
