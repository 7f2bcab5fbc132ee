package io.headroom.agent.driver.nvsmi;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.List;

/**
 * The {@code points:} section of an nvidia-smi profile.
 *
 * @param fields element → metric mappings, per GPU
 * @param powerLimit where the power limits are, for {@code set-power-cap}
 * @param throttleReasons the element holding the clocks throttle (event) reasons, tried in order:
 *     {@code clocks_event_reasons} (v12+), {@code clocks_throttle_reasons} (v11)
 * @param degradedReasons reasons (the element name after {@code _reason_}) that make the device
 *     DEGRADED while {@code Active}: heat and hardware brakes, not a power cap doing its job
 * @param persistenceMode the element saying whether persistence mode is on
 */
public record NvsmiPoints(
        @Doc("Element → metric mappings, per GPU.") List<NvsmiField> fields,

        @Doc("Where the enforced, min and max power limits are.")
        NvsmiLimits powerLimit,

        @Doc("Elements holding the clocks throttle reasons, tried in order.")
        List<String> throttleReasons,

        @Doc("Reasons (after _reason_) that make the device DEGRADED while Active.")
        List<String> degradedReasons,

        @Doc("Element saying whether persistence mode is on.") @Default("persistence_mode")
        String persistenceMode) {
    public NvsmiPoints {
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("fields: map at least one element to a metric");
        }
        throttleReasons = List.copyOf(throttleReasons);
        for (String path : throttleReasons) {
            NvsmiXml.requireValidPath(path, "throttle-reasons");
        }
        degradedReasons = List.copyOf(degradedReasons);
        NvsmiXml.requireValidPath(persistenceMode, "persistence-mode");
    }
}
