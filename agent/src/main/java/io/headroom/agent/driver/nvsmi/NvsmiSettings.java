package io.headroom.agent.driver.nvsmi;

import io.headroom.config.Default;
import io.headroom.config.Doc;

/**
 * A device's {@code nvidia-smi:} block in {@code agent.yaml}: the GPUs of the host the agent runs
 * on, so there is no address, only the executable.
 *
 * @param executable the {@code nvidia-smi} to run: a name looked up on {@code PATH}, or a path
 */
@Doc("The local nvidia-smi of the agent's own GPU host (-q -x to read, -pl to cap power).")
public record NvsmiSettings(
        @Doc("The nvidia-smi to run: a name looked up on PATH, or an absolute path.") @Default("nvidia-smi")
        String executable) {
    public NvsmiSettings {
        if (executable.isBlank()) {
            throw new IllegalArgumentException("executable: must not be empty");
        }
        if (executable.indexOf('\0') >= 0 || executable.contains("\n")) {
            throw new IllegalArgumentException("executable: must be a file name or path");
        }
    }
}
