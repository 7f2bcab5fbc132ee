package io.headroom.controller.site;

import java.util.Locale;

/** What a node of the site tree is; its {@link #wireName()} is the API's {@code kind}. */
public enum SiteNodeKind {
    SITE,
    FEED,
    PDU,
    CIRCUIT,
    RACK,
    DEVICE,
    ZONE;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** {@code site}, {@code feed}, {@code pdu}, {@code circuit}, {@code rack}, {@code device}, {@code zone}. */
    public String wireName() {
        return wireName;
    }
}
