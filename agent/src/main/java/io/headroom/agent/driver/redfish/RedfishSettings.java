package io.headroom.agent.driver.redfish;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import io.headroom.config.Range;
import io.headroom.config.SecretRef;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A device's {@code redfish:} block in {@code agent.yaml}. The request timeout is the device's common
 * {@code timeout}: it bounds each HTTP exchange (connect, headers and body).
 *
 * @param host address of the BMC
 * @param port TCP port
 * @param scheme https (the default) or http
 * @param username the BMC account
 * @param password where the account's password is kept: a {@code file:} or {@code credential:}
 *     reference, never the password itself
 * @param auth {@code session} (default) or {@code basic}
 * @param caFile PEM file with the CA (or the BMC's own self-signed certificate) the BMC's certificate
 *     must chain to; empty means the JDK's trust store. Verification is never switched off.
 * @param chassis the chassis id in the resource paths ({@code /redfish/v1/Chassis/<id>/…}); the
 *     profile's {@code default-chassis} when absent
 */
@Doc("Redfish over HTTPS (GPU and AI servers' BMCs).")
public record RedfishSettings(
        @Doc("Address of the BMC.") String host,

        @Doc("TCP port.") @Default("443") @Range(min = "1", max = "65535")
        int port,

        @Doc("https, or http for lab setups.") @Default("https")
        RedfishScheme scheme,

        @Doc("The BMC account.") String username,

        @Doc("Where the account's password is kept; never inline.")
        SecretRef password,

        @Doc("session (X-Auth-Token, default) or basic.") @Default("session")
        RedfishAuth auth,

        @Doc("PEM file with the CA or the BMC's own certificate; the JDK's trust store when absent.")
        Optional<Path> caFile,

        @Doc("Chassis id in the resource paths; the profile's default-chassis when absent.")
        Optional<String> chassis) {

    public RedfishSettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is not a TCP port (1-65535)");
        }
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(username, "username");
        if (username.isBlank()) {
            throw new IllegalArgumentException("username: must not be empty");
        }
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(chassis, "chassis");
        if (chassis.isPresent()) {
            RedfishPaths.requireSegment(chassis.get(), "chassis");
        }
        if (caFile.isPresent() && scheme == RedfishScheme.HTTP) {
            throw new IllegalArgumentException("ca-file: only used with scheme https; remove it or use https");
        }
    }
}
