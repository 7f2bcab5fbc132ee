package io.headroom.protocol;

import io.headroom.protocol.wire.DeviceKind;

/** The human names of {@link DeviceKind}, as config files and the controller's API spell them. */
public final class DeviceKinds {
    private DeviceKinds() {}

    /** {@code DEVICE_KIND_GPU_SERVER} → {@code gpu-server}. */
    public static String name(DeviceKind kind) {
        switch (kind) {
            case DEVICE_KIND_MINER:
                return "miner";
            case DEVICE_KIND_GPU_SERVER:
                return "gpu-server";
            case DEVICE_KIND_PDU:
                return "pdu";
            case DEVICE_KIND_METER:
                return "meter";
            case DEVICE_KIND_UPS:
                return "ups";
            case DEVICE_KIND_SENSOR:
                return "sensor";
            case DEVICE_KIND_COOLING:
                return "cooling";
            default:
                throw new IllegalArgumentException("kind has no name: " + kind);
        }
    }

    /**
     * {@code gpu-server} → {@code DEVICE_KIND_GPU_SERVER}.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static DeviceKind parse(String name) {
        for (DeviceKind kind : DeviceKind.values()) {
            if (kind != DeviceKind.DEVICE_KIND_UNSPECIFIED
                    && kind != DeviceKind.UNRECOGNIZED
                    && name(kind).equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown device kind '" + name
                + "'; expected one of miner, gpu-server, pdu, meter, ups, sensor, cooling");
    }

    /**
     * As {@link #parse}, with the message led by the key it belongs to: {@code kind: unknown device kind …}.
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static DeviceKind parseKind(String name) {
        try {
            return parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kind: " + e.getMessage(), e);
        }
    }
}
