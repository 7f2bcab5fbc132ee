package io.headroom.cli;

/**
 * What one protocol of a host answered when {@code headroom agent probe <host>} fingerprinted it
 * ({@link HostFingerprint}): read with a profile, recognised but not read, answering as nothing any
 * profile matches, or silent.
 */
sealed interface Sighting {

    /** The protocol as the probe names it: {@code rpc}, {@code whatsminer-v3}, {@code http}, {@code https}, {@code snmp}. */
    String protocol();

    int port();

    /** Identified with a profile and read once; {@code entry} is what its agent.yaml entry needs. */
    record Read(String protocol, int port, ProbeEntry entry, DeviceProbe.Identified identified) implements Sighting {}

    /**
     * A firmware family recognised by its fingerprint, but not read.
     *
     * @param driver the agent driver that reads this family
     * @param family what the fingerprint says it is ("Antminer stock firmware")
     * @param evidence what gave it away ({@code Digest realm "antMiner Configuration"})
     * @param reason why it was not read: {@value #NO_CREDENTIALS}, {@code auth-failed}, or the driver's reason
     * @param message the details of {@code reason}
     */
    record Recognised(
            String protocol, int port, String driver, String family, String evidence, String reason, String message)
            implements Sighting {

        /** None were given. */
        static final String NO_CREDENTIALS = "no-credentials";

        /** True when credentials are what is missing: none were given, or the device refused them. */
        boolean credentialsProblem() {
            return reason.equals(NO_CREDENTIALS) || reason.equals("auth-failed");
        }
    }

    /** Something answers, but as nothing any built-in profile matches. */
    record Unmatched(String protocol, int port, String message) implements Sighting {}

    /** No usable answer: {@code reason} as the transport or driver names it (timeout, connection-refused …). */
    record Silent(String protocol, int port, String reason, String message) implements Sighting {}

    /**
     * The agent.yaml entry of a device read by fingerprinting.
     *
     * @param driver the driver block's name
     * @param yamlBlock the block's lines; {@code SECRET.} stands for {@code /etc/headroom/<id>.}
     * @param credentials whether the entry needs the device's common {@code credentials} (a password file)
     */
    record ProbeEntry(String driver, String yamlBlock, boolean credentials) {}
}
