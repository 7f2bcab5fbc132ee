package io.headroom.controller.mqtt;

/**
 * How much one source address and one client id may cost the endpoint before it stops listening
 * to them. See {@code docs/mqtt-endpoint.md} ("Limits") and decision D19.
 *
 * @param maxPreAuthPerAddress connections from one IP address that have not yet been accepted
 *     (no CONNACK 0x00 yet) at once; more are closed on accept, before they cost a decoder
 * @param maxFailedLogins failed logins from one IP address within {@code failureWindowSeconds}
 *     before that address is penalised
 * @param failureWindowSeconds the window failed logins are counted in
 * @param penaltySeconds how long a penalised address's new connections are closed on accept
 * @param maxTakeoversPerMinute takeovers of one client id by its own principal (a reconnect while
 *     the old connection still looks open) allowed in any 60 s; one more starts the backoff
 * @param takeoverBackoffSeconds how long further takeovers of that client id are refused with
 *     CONNACK 0x9F (Connection rate exceeded) once the limit was hit; the connected session stays
 * @param maxAuthInFlightPerUser password checks of one username queued or running at once; more
 *     are answered CONNACK 0x89 (Server busy) without hashing
 */
public record MqttLimits(
        int maxPreAuthPerAddress,
        int maxFailedLogins,
        int failureWindowSeconds,
        int penaltySeconds,
        int maxTakeoversPerMinute,
        int takeoverBackoffSeconds,
        int maxAuthInFlightPerUser) {

    public static final int DEFAULT_MAX_PRE_AUTH_PER_ADDRESS = 64;
    public static final int DEFAULT_MAX_FAILED_LOGINS = 10;
    public static final int DEFAULT_FAILURE_WINDOW_SECONDS = 60;
    public static final int DEFAULT_PENALTY_SECONDS = 60;
    public static final int DEFAULT_MAX_TAKEOVERS_PER_MINUTE = 4;
    public static final int DEFAULT_TAKEOVER_BACKOFF_SECONDS = 60;
    public static final int DEFAULT_MAX_AUTH_IN_FLIGHT_PER_USER = 2;

    public MqttLimits {
        requirePositive("maxPreAuthPerAddress", maxPreAuthPerAddress);
        requirePositive("maxFailedLogins", maxFailedLogins);
        requirePositive("failureWindowSeconds", failureWindowSeconds);
        requirePositive("penaltySeconds", penaltySeconds);
        requirePositive("maxTakeoversPerMinute", maxTakeoversPerMinute);
        requirePositive("takeoverBackoffSeconds", takeoverBackoffSeconds);
        requirePositive("maxAuthInFlightPerUser", maxAuthInFlightPerUser);
    }

    public static MqttLimits defaults() {
        return new MqttLimits(
                DEFAULT_MAX_PRE_AUTH_PER_ADDRESS,
                DEFAULT_MAX_FAILED_LOGINS,
                DEFAULT_FAILURE_WINDOW_SECONDS,
                DEFAULT_PENALTY_SECONDS,
                DEFAULT_MAX_TAKEOVERS_PER_MINUTE,
                DEFAULT_TAKEOVER_BACKOFF_SECONDS,
                DEFAULT_MAX_AUTH_IN_FLIGHT_PER_USER);
    }

    private static void requirePositive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + ": " + value + " must be at least 1");
        }
    }
}
