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
 * @param writeBufferLowBytes Netty's low water mark: once a paused connection's unsent bytes fall
 *     to this, it is writable again and the endpoint reads it again
 * @param writeBufferHighBytes Netty's high water mark: once a connection's unsent bytes (PUBACKs,
 *     acks, forwarded messages, plus Netty's per-write overhead) pass this, it is unwritable and the
 *     endpoint stops reading it, so that a client that does not read cannot grow the heap (issue 9)
 * @param unwritableTimeoutSeconds how long a connection may stay unwritable before it is closed
 *     as a slow consumer (counted as {@code headroom.mqtt.disconnects{reason="unwritable"}})
 * @param observerLaneCapacity messages waiting for one observer's event loop before further ones
 *     are dropped (counted as {@code headroom.mqtt.dropped{reason="observer-lane-full"}}): observers
 *     get a bounded, lossy lane that never makes an agent's connection wait
 */
public record MqttLimits(
        int maxPreAuthPerAddress,
        int maxFailedLogins,
        int failureWindowSeconds,
        int penaltySeconds,
        int maxTakeoversPerMinute,
        int takeoverBackoffSeconds,
        int maxAuthInFlightPerUser,
        int writeBufferLowBytes,
        int writeBufferHighBytes,
        int unwritableTimeoutSeconds,
        int observerLaneCapacity) {

    public static final int DEFAULT_MAX_PRE_AUTH_PER_ADDRESS = 64;
    public static final int DEFAULT_MAX_FAILED_LOGINS = 10;
    public static final int DEFAULT_FAILURE_WINDOW_SECONDS = 60;
    public static final int DEFAULT_PENALTY_SECONDS = 60;
    public static final int DEFAULT_MAX_TAKEOVERS_PER_MINUTE = 4;
    public static final int DEFAULT_TAKEOVER_BACKOFF_SECONDS = 60;
    public static final int DEFAULT_MAX_AUTH_IN_FLIGHT_PER_USER = 2;
    public static final int DEFAULT_WRITE_BUFFER_LOW_BYTES = 32 * 1024;
    public static final int DEFAULT_WRITE_BUFFER_HIGH_BYTES = 64 * 1024;
    public static final int DEFAULT_UNWRITABLE_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_OBSERVER_LANE_CAPACITY = 4096;

    public MqttLimits {
        requirePositive("maxPreAuthPerAddress", maxPreAuthPerAddress);
        requirePositive("maxFailedLogins", maxFailedLogins);
        requirePositive("failureWindowSeconds", failureWindowSeconds);
        requirePositive("penaltySeconds", penaltySeconds);
        requirePositive("maxTakeoversPerMinute", maxTakeoversPerMinute);
        requirePositive("takeoverBackoffSeconds", takeoverBackoffSeconds);
        requirePositive("maxAuthInFlightPerUser", maxAuthInFlightPerUser);
        requirePositive("writeBufferLowBytes", writeBufferLowBytes);
        requirePositive("writeBufferHighBytes", writeBufferHighBytes);
        if (writeBufferHighBytes < writeBufferLowBytes) {
            throw new IllegalArgumentException("writeBufferHighBytes: " + writeBufferHighBytes
                    + " is below writeBufferLowBytes (" + writeBufferLowBytes + ")");
        }
        requirePositive("unwritableTimeoutSeconds", unwritableTimeoutSeconds);
        requirePositive("observerLaneCapacity", observerLaneCapacity);
    }

    /** The limits of logins and takeovers, with the default write buffer, slow-consumer and observer limits. */
    public MqttLimits(
            int maxPreAuthPerAddress,
            int maxFailedLogins,
            int failureWindowSeconds,
            int penaltySeconds,
            int maxTakeoversPerMinute,
            int takeoverBackoffSeconds,
            int maxAuthInFlightPerUser) {
        this(
                maxPreAuthPerAddress,
                maxFailedLogins,
                failureWindowSeconds,
                penaltySeconds,
                maxTakeoversPerMinute,
                takeoverBackoffSeconds,
                maxAuthInFlightPerUser,
                DEFAULT_WRITE_BUFFER_LOW_BYTES,
                DEFAULT_WRITE_BUFFER_HIGH_BYTES,
                DEFAULT_UNWRITABLE_TIMEOUT_SECONDS,
                DEFAULT_OBSERVER_LANE_CAPACITY);
    }

    /** These limits with other back-pressure settings. */
    public MqttLimits withBackPressure(
            int writeBufferLowBytes, int writeBufferHighBytes, int unwritableTimeoutSeconds, int observerLaneCapacity) {
        return new MqttLimits(
                maxPreAuthPerAddress,
                maxFailedLogins,
                failureWindowSeconds,
                penaltySeconds,
                maxTakeoversPerMinute,
                takeoverBackoffSeconds,
                maxAuthInFlightPerUser,
                writeBufferLowBytes,
                writeBufferHighBytes,
                unwritableTimeoutSeconds,
                observerLaneCapacity);
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
