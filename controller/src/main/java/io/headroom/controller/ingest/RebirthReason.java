package io.headroom.controller.ingest;

/** Why the controller asks an agent for a fresh Birth; the wire name goes in {@code Ack.rebirth_reason}. */
enum RebirthReason {
    SEQUENCE_GAP("sequence-gap"),
    UNKNOWN_ALIAS("unknown-alias"),
    DATA_BEFORE_BIRTH("data-before-birth"),
    UNKNOWN_BOOT("unknown-boot"),
    MALFORMED_BIRTH("malformed-birth"),
    /** Its claim on a device id was refused; the owner has released the id, so a Birth now registers it. */
    DEVICE_RELEASED("device-released");

    private final String wireName;

    RebirthReason(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }
}
