package io.headroom.controller.api.auth;

/**
 * What an HTTP API user may do; each role includes the ones before it. Spelled in
 * {@code controller.yaml} as {@code viewer}, {@code operator} or {@code admin}.
 */
public enum ApiRole {
    /** Reads devices, commands, health and metrics. */
    VIEWER,
    /** Also sends commands to devices and reads the audit log. */
    OPERATOR,
    /** Also reads the user list: everything the API offers. */
    ADMIN;

    /** True if this role includes {@code required}. */
    public boolean includes(ApiRole required) {
        return compareTo(required) >= 0;
    }

    /** The spelling in config and in JSON. */
    public String spelling() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
