package io.headroom.controller.mqtt;

/**
 * What a principal may do on the endpoint. The spelling in the credentials file is
 * {@link #fileName()}.
 */
public enum Role {
    /** A rack agent: publishes on its own {@code birth/data/result/death}, subscribes to its own {@code cmd/ack}. */
    AGENT("agent"),
    /** A read-only client (mosquitto_sub, Node-RED): subscribes to anything under the site, never publishes. */
    OBSERVER("observer"),
    /**
     * A grid signal source (a utility gateway, a site EMS): publishes only on the site's
     * {@code grid/signal} topic, subscribes to nothing, leaves no Will.
     */
    GRID("grid"),
    /**
     * A market price feed (a price adapter, an EMS forwarding an ISO's LMP): publishes only on the
     * site's {@code market/<input>} topics, subscribes to nothing, leaves no Will.
     */
    PRICE("price");

    private final String fileName;

    Role(String fileName) {
        this.fileName = fileName;
    }

    /** The role as written in the credentials file. */
    public String fileName() {
        return fileName;
    }

    /** Returns the role spelled {@code name} in the credentials file, or {@code null} when there is none. */
    static Role fromFileName(String name) {
        for (Role role : values()) {
            if (role.fileName.equals(name)) {
                return role;
            }
        }
        return null;
    }
}
