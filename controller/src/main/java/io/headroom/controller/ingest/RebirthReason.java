package io.headroom.controller.ingest;

/** Why the controller asks an agent for a fresh Birth; the wire name goes in {@code Ack.rebirth_reason}. */
enum RebirthReason {
    SEQUENCE_GAP("sequence-gap"),
    UNKNOWN_ALIAS("unknown-alias"),
    DATA_BEFORE_BIRTH("data-before-birth"),
    UNKNOWN_BOOT("unknown-boot"),
    MALFORMED_BIRTH("malformed-birth");

    private final String wireName;

    RebirthReason(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }
}
