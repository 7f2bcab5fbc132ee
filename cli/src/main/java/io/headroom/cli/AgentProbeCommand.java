package io.headroom.cli;

import io.headroom.agent.config.DeviceConfig;
import io.headroom.config.SecretRef;
import io.headroom.config.SecretResolver;
import io.headroom.profiles.FirmwareProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code headroom agent probe <host>}: which built-in profile a device matches, what it can do and what
 * it reads now, through the agent's own drivers ({@link DeviceProbe}). Says plainly when nothing answers
 * or nothing matches; never guesses a profile.
 */
@Command(
        name = "probe",
        description = {
            "Identifies a device against the built-in profiles' match rules and prints the matching profile,",
            "its capabilities and a first reading, or its agent.yaml entry. With no protocol option, asks at",
            "once the miners' RPC (4028), Whatsminer API v3 (4433), the web UI (80: Antminer stock, Braiins",
            "OS, Vnish), a Redfish service root (443) and SNMP (161), and reports the richest that answers.",
            "--port with the SNMP options or --modbus-unit asks only SNMP or Modbus TCP.",
            "Exit codes: 0 identified, 2 bad options, 3 answers but matches no profile, 4 no answer,",
            "5 recognised, but credentials are needed (none given, or refused)."
        })
final class AgentProbeCommand implements Callable<Integer> {
    static final int EXIT_NO_MATCH = 3;
    static final int EXIT_NO_ANSWER = 4;
    /** A device was recognised by its fingerprint, but reading it needs credentials: none given, or refused. */
    static final int EXIT_CREDENTIALS = 5;

    private static final String COMMUNITY = "probe-community";
    private static final String AUTH = "probe-auth-passphrase";
    private static final String PRIV = "probe-priv-passphrase";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<host>", description = "Address of the device.")
    String host;

    @Option(names = "--port", description = "Port (default: 161 for SNMP, 502 for Modbus TCP).")
    Integer port;

    @Option(names = "--snmp-community", paramLabel = "C", description = "SNMP v1/v2c community (default: public).")
    String community;

    @Option(names = "--snmp-version", paramLabel = "V", defaultValue = "2c", description = "1 or 2c with a community.")
    String snmpVersion;

    @Option(names = "--snmp-user", paramLabel = "U", description = "SNMPv3 USM user (instead of a community).")
    String user;

    @Option(names = "--auth-protocol", paramLabel = "P", description = "v3: md5, sha, sha-224, sha-256 (default), …")
    String authProtocol;

    @Option(names = "--auth-passphrase", paramLabel = "X", description = "v3: authentication passphrase.")
    String authPassphrase;

    @Option(names = "--priv-protocol", paramLabel = "P", description = "v3: des, aes (default), aes-192, aes-256.")
    String privProtocol;

    @Option(names = "--priv-passphrase", paramLabel = "X", description = "v3: privacy passphrase.")
    String privPassphrase;

    @Option(names = "--modbus-unit", paramLabel = "N", description = "Probe Modbus TCP unit N instead of SNMP.")
    Integer modbusUnit;

    @Option(
            names = "--profile",
            defaultValue = DeviceConfig.AUTO,
            description = "Read the device with this profile instead of identifying it (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(
            names = "--timeout",
            defaultValue = "2",
            paramLabel = "S",
            description = "Seconds to wait for each request (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--id", description = "Device id for --yaml (default: from the profile's kind and the host).")
    String id;

    @Option(names = "--yaml", description = "Print the device's agent.yaml entry instead of the summary.")
    boolean yaml;

    @Option(
            names = "--rpc-port",
            defaultValue = "4028",
            paramLabel = "P",
            description = "Fingerprinting: the miners' CGMiner-style RPC (default: ${DEFAULT-VALUE}).")
    int rpcPort;

    @Option(
            names = "--whatsminer-v3-port",
            defaultValue = "4433",
            paramLabel = "P",
            description = "Fingerprinting: Whatsminer API v3 (default: ${DEFAULT-VALUE}).")
    int whatsminerV3Port;

    @Option(
            names = "--http-port",
            defaultValue = "80",
            paramLabel = "P",
            description = "Fingerprinting: the miners' web UI (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(
            names = "--https-port",
            defaultValue = "443",
            paramLabel = "P",
            description = "Fingerprinting: a BMC's Redfish service (default: ${DEFAULT-VALUE}).")
    int httpsPort;

    @Option(
            names = "--snmp-port",
            defaultValue = "161",
            paramLabel = "P",
            description = "Fingerprinting: SNMP v2c, community public (default: ${DEFAULT-VALUE}).")
    int snmpPort;

    @Option(
            names = "--username",
            paramLabel = "U",
            description = "Fingerprinting: the web or BMC account (web default: root; Redfish needs one).")
    String username;

    @Option(
            names = "--password-file",
            paramLabel = "F",
            description = "Fingerprinting: a file whose first line is the web or BMC password (never on the"
                    + " command line).")
    Path passwordFile;

    @Option(
            names = "--ca-file",
            paramLabel = "F",
            description = "Fingerprinting: PEM CA or self-signed certificate of the BMC (HTTPS is always verified).")
    Path caFile;

    @Option(
            names = "--chassis",
            paramLabel = "ID",
            description = "Fingerprinting: the Redfish chassis id (default: the profile's).")
    String chassis;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (fingerprinting()) {
            return fingerprint(out, err);
        }
        Target target;
        try {
            target = target();
        } catch (IllegalArgumentException e) {
            err.println("headroom agent probe: " + e.getMessage());
            err.flush();
            return 2;
        }
        String where = host + ":" + target.port();
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        String using = profile;
        DeviceProbe.Outcome outcome = null;
        if (target.driver().equals("snmp") && DeviceConfig.AUTO.equals(profile) && SnmpIdentification.needed()) {
            if (user != null) {
                outcome = new DeviceProbe.Unusable(List.of("identifying an SNMPv3 device needs the SNMP driver's own"
                        + " identification, which this build lacks; name the profile with --profile"));
            } else {
                SnmpIdentification.Result found = SnmpIdentification.identify(
                        host,
                        target.port(),
                        snmpVersion.equals("1") ? 1 : 2,
                        community == null ? "public" : community,
                        timeout);
                outcome = found.outcome().orElse(null);
                using = found.profile().orElse(profile);
            }
        }
        if (outcome == null) {
            outcome = DeviceProbe.probe(target.driver(), target.block(), using, timeout, target.secrets());
        }
        int exit;
        if (outcome instanceof DeviceProbe.Identified identified) {
            if (yaml) {
                printYaml(out, identified.profile(), target);
            } else {
                ProbeOutput.printSummary(out, where, identified);
            }
            exit = 0;
        } else if (outcome instanceof DeviceProbe.NoMatch noMatch) {
            err.println("headroom agent probe: " + where + " answers " + target.driver() + ", but "
                    + noMatch.message().replaceFirst("^answers, but ", "") + "; no profile is guessed."
                    + " Add a profile for it (docs/firmware-profiles.md) or name one with --profile.");
            exit = EXIT_NO_MATCH;
        } else if (outcome instanceof DeviceProbe.NoAnswer noAnswer) {
            err.println("headroom agent probe: nothing usable answers " + target.driver() + " at " + where + " ("
                    + noAnswer.reason() + ": " + noAnswer.message() + ")" + hint(target, noAnswer.reason()));
            exit = EXIT_NO_ANSWER;
        } else {
            ((DeviceProbe.Unusable) outcome).problems().forEach(p -> err.println("headroom agent probe: " + p));
            exit = 2;
        }
        out.flush();
        err.flush();
        return exit;
    }

    private String hint(Target target, String reason) {
        if (!reason.equals("timeout")) {
            return "";
        }
        if (target.driver().equals("modbus")) {
            return ". A Modbus gateway does not answer a unit id it has no slave for: check --modbus-unit.";
        }
        return user == null
                ? ". An SNMP agent drops requests with a wrong community unanswered: check --snmp-community."
                : ". Check the v3 user, protocols and passphrases.";
    }

    /**
     * True when no protocol is named: no {@code --port}, no SNMP option, no {@code --modbus-unit}, no
     * {@code --profile}; then every protocol is asked ({@link HostFingerprint}).
     */
    private boolean fingerprinting() {
        return port == null
                && modbusUnit == null
                && community == null
                && user == null
                && authProtocol == null
                && authPassphrase == null
                && privProtocol == null
                && privPassphrase == null
                && snmpVersion.equals("2c")
                && DeviceConfig.AUTO.equals(profile);
    }

    private int fingerprint(PrintWriter out, PrintWriter err) throws InterruptedException {
        WebFingerprint.Login login;
        try {
            if (timeoutSeconds < 1 || timeoutSeconds > 60) {
                throw new IllegalArgumentException("--timeout: must be 1 to 60 seconds, got " + timeoutSeconds);
            }
            checkPort("--rpc-port", rpcPort);
            checkPort("--whatsminer-v3-port", whatsminerV3Port);
            checkPort("--http-port", httpPort);
            checkPort("--https-port", httpsPort);
            checkPort("--snmp-port", snmpPort);
            if (username != null && (username.isBlank() || username.length() > 256)) {
                throw new IllegalArgumentException("--username: must be 1 to 256 characters");
            }
            if (caFile != null && !Files.isReadable(caFile)) {
                throw new IllegalArgumentException("--ca-file: cannot read " + caFile);
            }
            login = new WebFingerprint.Login(
                    Optional.ofNullable(username),
                    passwordFile == null ? Optional.empty() : Optional.of(readPassword(passwordFile)),
                    Optional.ofNullable(caFile),
                    Optional.ofNullable(chassis));
        } catch (IllegalArgumentException e) {
            err.println("headroom agent probe: " + e.getMessage());
            err.flush();
            return 2;
        }
        List<Sighting> sightings = HostFingerprint.run(
                host,
                new HostFingerprint.Ports(rpcPort, whatsminerV3Port, httpPort, httpsPort, snmpPort),
                login,
                Duration.ofSeconds(timeoutSeconds));
        int exit = FingerprintReport.print(out, err, host, id, yaml, sightings);
        out.flush();
        err.flush();
        return exit;
    }

    /**
     * The first line of a password file, read as the agent reads its secrets ({@link SecretResolver}):
     * a password is never taken from the command line, where {@code ps} and shell history show it.
     */
    private static String readPassword(Path file) {
        try {
            return new String(SecretResolver.system().resolve(new SecretRef.File(file)));
        } catch (IOException e) {
            throw new IllegalArgumentException("--password-file: " + e.getMessage(), e);
        }
    }

    private static void checkPort(String option, int value) {
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException(option + ": " + value + " is not a port (1-65535)");
        }
    }

    /** The driver, its block as YAML, and the secrets the block refers to. */
    private record Target(String driver, int port, String block, Map<String, String> secrets, String yamlBlock) {}

    private Target target() {
        boolean snmpOptions = community != null || user != null || authPassphrase != null || privPassphrase != null;
        if (username != null || passwordFile != null || caFile != null || chassis != null) {
            throw new IllegalArgumentException("--username, --password-file, --ca-file and --chassis apply only when"
                    + " fingerprinting (no --port, SNMP option, --modbus-unit or --profile)");
        }
        if (timeoutSeconds < 1 || timeoutSeconds > 60) {
            throw new IllegalArgumentException("--timeout: must be 1 to 60 seconds, got " + timeoutSeconds);
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("--port: " + port + " is not a port (1-65535)");
        }
        if (modbusUnit != null) {
            if (snmpOptions) {
                throw new IllegalArgumentException("--modbus-unit probes Modbus; the SNMP options do not apply");
            }
            if (modbusUnit < 0 || modbusUnit > 255) {
                throw new IllegalArgumentException("--modbus-unit: must be 0 to 255, got " + modbusUnit);
            }
            int p = port == null ? 502 : port;
            // The modbus driver's block (ModbusSettings): Modbus TCP at host:port, the slave's unit id.
            String endpoint = (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + p;
            String block = "tcp: " + quote(endpoint) + "\nunit: " + modbusUnit + "\n";
            return new Target("modbus", p, block, Map.of(), block);
        }
        int p = port == null ? 161 : port;
        Map<String, String> secrets = new LinkedHashMap<>();
        StringBuilder block = new StringBuilder("host: " + quote(host) + "\nport: " + p + "\n");
        StringBuilder yamlBlock = new StringBuilder(block);
        if (user != null) {
            if (community != null) {
                throw new IllegalArgumentException("--snmp-community and --snmp-user: give one (v1/v2c or v3)");
            }
            if (privPassphrase != null && authPassphrase == null) {
                throw new IllegalArgumentException("--priv-passphrase needs --auth-passphrase (privacy needs auth)");
            }
            block.append("version: 3\nv3:\n  user: ").append(quote(user)).append('\n');
            yamlBlock.append("version: 3\nv3:\n  user: ").append(quote(user)).append('\n');
            if (authPassphrase != null) {
                String auth = authProtocol == null ? "sha-256" : authProtocol.toLowerCase(Locale.ROOT);
                block.append("  auth: ").append(auth).append("\n  auth-passphrase: {credential: " + AUTH + "}\n");
                yamlBlock.append("  auth: ").append(auth).append("\n  auth-passphrase: {file: SECRET.auth}\n");
                secrets.put(AUTH, authPassphrase);
            }
            if (privPassphrase != null) {
                String priv = privProtocol == null ? "aes" : privProtocol.toLowerCase(Locale.ROOT);
                block.append("  priv: ").append(priv).append("\n  priv-passphrase: {credential: " + PRIV + "}\n");
                yamlBlock.append("  priv: ").append(priv).append("\n  priv-passphrase: {file: SECRET.priv}\n");
                secrets.put(PRIV, privPassphrase);
            }
        } else {
            if (!snmpVersion.equals("1") && !snmpVersion.equals("2c")) {
                throw new IllegalArgumentException(
                        "--snmp-version: '" + snmpVersion + "' is not 1 or 2c (v3: give --snmp-user)");
            }
            block.append("version: ").append(snmpVersion).append("\ncommunity: {credential: " + COMMUNITY + "}\n");
            yamlBlock.append("version: ").append(snmpVersion).append("\ncommunity: {file: SECRET.community}\n");
            secrets.put(COMMUNITY, community == null ? "public" : community);
        }
        return new Target("snmp", p, block.toString(), secrets, yamlBlock.toString());
    }

    private void printYaml(PrintWriter out, FirmwareProfile matched, Target target) {
        ProbeOutput.printYaml(out, matched, host, id, target.driver(), target.yamlBlock(), false);
    }

    static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
