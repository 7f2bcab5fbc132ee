package io.headroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.transport.http.HttpReply;
import io.headroom.agent.transport.http.HttpTransport;
import io.headroom.agent.transport.http.HttpTransportException;
import io.headroom.agent.transport.http.HttpTransportSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web side of fingerprinting: the miner firmwares' web UIs on HTTP ({@code GET /}, as pyasic's
 * factory tells them apart, reference/DEVICES.md §4.9) and a Redfish service root on HTTPS ({@code GET
 * /redfish/v1}, unauthenticated by the DMTF spec). A family that needs a login to be read is read with
 * the agent's own driver ({@link DeviceProbe}) when the operator gave credentials, and only recognised
 * otherwise. Over the agent's {@link HttpTransport}: one deadline per exchange, a body cap, and TLS
 * always verified (a BMC's self-signed certificate needs {@code --ca-file}).
 */
final class WebFingerprint {

    /** A landing page or a service root is a few kB; anything near this is no device of ours. */
    private static final int MAX_BODY_BYTES = 256 * 1024;
    /** The realm of a Digest challenge (RFC 7616 §3.3), as Bitmain's stock web UI sends it. */
    private static final Pattern DIGEST_REALM =
            Pattern.compile("^\\s*Digest\\s.*?\\brealm=\"([^\"]{0,200})\"", Pattern.CASE_INSENSITIVE);

    private static final String REDFISH_PASSWORD = "probe-redfish-password";

    /** What the operator gave for logging in: the account and the first line of the password file. */
    record Login(
            Optional<String> username, Optional<String> password, Optional<Path> caFile, Optional<String> chassis) {
        static Login none() {
            return new Login(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    private WebFingerprint() {}

    /** {@code GET /} on plain HTTP: Antminer stock web (401 Digest realm antMiner…), Braiins OS, Vnish. */
    static Sighting http(String host, int port, Login login, Duration timeout) throws InterruptedException {
        String base = "http://" + authority(host, port);
        try (HttpTransport http = HttpTransport.open(
                "probe-http", new HttpTransportSettings(Optional.empty(), MAX_BODY_BYTES), timeout, "--ca-file")) {
            String page;
            try {
                page = get(http, base + "/", timeout).text();
            } catch (HttpTransportException e) {
                if (e.status() == 401) {
                    Optional<String> realm = e.header("WWW-Authenticate").flatMap(WebFingerprint::digestRealm);
                    if (realm.isPresent() && realm.get().startsWith("antMiner")) {
                        return read(
                                "http",
                                port,
                                "antminer-web",
                                "Antminer stock firmware",
                                "Digest realm \"" + realm.get() + "\"",
                                webBlock(host, port, login, true),
                                login,
                                timeout);
                    }
                    return new Sighting.Unmatched(
                            "http",
                            port,
                            "a web server asking for a login no firmware of ours asks for (HTTP 401"
                                    + e.header("WWW-Authenticate")
                                            .map(h -> ", " + clip(h))
                                            .orElse("") + ")");
                }
                if (e.status() > 0) {
                    return new Sighting.Unmatched("http", port, "a web server, its / answers HTTP " + e.status());
                }
                return new Sighting.Silent("http", port, e.reason(), e.getMessage());
            }
            // The landing pages' titles (pyasic's factory, reference/DEVICES.md §4.9).
            if (page.contains("Braiins OS")) {
                return read(
                        "http",
                        port,
                        "braiins",
                        "Braiins OS",
                        "its web page names \"Braiins OS\"",
                        webBlock(host, port, login, true),
                        login,
                        timeout);
            }
            if (page.contains("AnthillOS") || page.contains("Vnish")) {
                return read(
                        "http",
                        port,
                        "vnish",
                        "Vnish",
                        "its web page names \"" + (page.contains("AnthillOS") ? "AnthillOS" : "Vnish") + "\""
                                + vnishInfo(http, base, timeout),
                        webBlock(host, port, login, false),
                        login,
                        timeout);
            }
            return new Sighting.Unmatched("http", port, "a web server whose page names no firmware the agent reads");
        } catch (HttpTransportException e) {
            return new Sighting.Silent("http", port, e.reason(), e.getMessage());
        }
    }

    /** {@code GET /redfish/v1} on HTTPS: a service root with {@code RedfishVersion} is a Redfish service. */
    static Sighting https(String host, int port, Login login, Duration timeout) throws InterruptedException {
        String base = "https://" + authority(host, port);
        try (HttpTransport https = HttpTransport.open(
                "probe-https", new HttpTransportSettings(login.caFile(), MAX_BODY_BYTES), timeout, "--ca-file")) {
            JsonNode root;
            try {
                root = get(https, base + "/redfish/v1", timeout).json();
            } catch (HttpTransportException e) {
                if (e.status() > 0) {
                    return new Sighting.Unmatched(
                            "https", port, "a web server, but no Redfish service root (HTTP " + e.status() + ")");
                }
                if (e.reason().equals(HttpTransportException.GARBAGE)) {
                    return new Sighting.Unmatched(
                            "https", port, "a web server, but no Redfish service root (" + e.getMessage() + ")");
                }
                String hint = e.reason().equals(HttpTransportException.TLS)
                        ? " (a BMC's self-signed certificate: give it with --ca-file; verification is never skipped)"
                        : "";
                // The JDK names its exception classes inside a TLS failure's message; an operator needs the words.
                String message = e.getMessage().replaceAll("\\b(?:[a-z0-9]+\\.)+[A-Z]\\w*Exception: ", "");
                return new Sighting.Silent("https", port, e.reason(), message + hint);
            }
            if (!root.path("RedfishVersion").isTextual()) {
                return new Sighting.Unmatched("https", port, "answers /redfish/v1, but with no RedfishVersion");
            }
            String evidence = "Redfish " + clip(root.get("RedfishVersion").asText()) + text(root, "Vendor", ", Vendor ")
                    + text(root, "Product", ", Product ");
            if (login.username().isEmpty() || login.password().isEmpty()) {
                return new Sighting.Recognised(
                        "https",
                        port,
                        "redfish",
                        "a Redfish service",
                        evidence,
                        Sighting.Recognised.NO_CREDENTIALS,
                        "give --username and --password-file to identify its profile and read it");
            }
            StringBuilder block = new StringBuilder("host: " + AgentProbeCommand.quote(host) + "\nport: " + port
                    + "\nusername: " + AgentProbeCommand.quote(login.username().get()) + "\n");
            StringBuilder yaml = new StringBuilder(block);
            block.append("password: {credential: " + REDFISH_PASSWORD + "}\n");
            yaml.append("password: {file: SECRET.password}\n");
            login.caFile().ifPresent(ca -> {
                String line = "ca-file: "
                        + AgentProbeCommand.quote(ca.toAbsolutePath().toString()) + "\n";
                block.append(line);
                yaml.append(line);
            });
            login.chassis().ifPresent(id -> {
                String line = "chassis: " + AgentProbeCommand.quote(id) + "\n";
                block.append(line);
                yaml.append(line);
            });
            DeviceProbe.Outcome outcome = DeviceProbe.probe(
                    "redfish",
                    block.toString(),
                    DeviceConfig.AUTO,
                    timeout,
                    Map.of(REDFISH_PASSWORD, login.password().get()));
            return sighting(
                    "https",
                    port,
                    "redfish",
                    "a Redfish service",
                    evidence,
                    new Sighting.ProbeEntry("redfish", yaml.toString(), false),
                    outcome);
        } catch (HttpTransportException e) {
            return new Sighting.Silent("https", port, e.reason(), e.getMessage());
        }
    }

    /** The realm of a Digest challenge in a {@code WWW-Authenticate} value, if it is one. */
    static Optional<String> digestRealm(String header) {
        if (header.length() > 4096) {
            return Optional.empty();
        }
        Matcher m = DIGEST_REALM.matcher(header);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** A recognised web family: read with its driver when there is a password, recognised only otherwise. */
    private static Sighting read(
            String protocol,
            int port,
            String driver,
            String family,
            String evidence,
            String block,
            Login login,
            Duration timeout)
            throws InterruptedException {
        if (login.password().isEmpty()) {
            return new Sighting.Recognised(
                    protocol,
                    port,
                    driver,
                    family,
                    evidence,
                    Sighting.Recognised.NO_CREDENTIALS,
                    "give --password-file to identify its profile and read it");
        }
        DeviceProbe.Outcome outcome =
                DeviceProbe.probe(driver, block, DeviceConfig.AUTO, timeout, Map.of(), login.password());
        return sighting(
                protocol, port, driver, family, evidence, new Sighting.ProbeEntry(driver, block, true), outcome);
    }

    private static Sighting sighting(
            String protocol,
            int port,
            String driver,
            String family,
            String evidence,
            Sighting.ProbeEntry entry,
            DeviceProbe.Outcome outcome) {
        if (outcome instanceof DeviceProbe.Identified identified) {
            return new Sighting.Read(protocol, port, entry, identified);
        }
        if (outcome instanceof DeviceProbe.NoMatch none) {
            return new Sighting.Recognised(protocol, port, driver, family, evidence, "unidentified", none.message());
        }
        if (outcome instanceof DeviceProbe.NoAnswer silence) {
            return new Sighting.Recognised(
                    protocol, port, driver, family, evidence, silence.reason(), silence.message());
        }
        return new Sighting.Recognised(
                protocol,
                port,
                driver,
                family,
                evidence,
                "unusable",
                String.join("; ", ((DeviceProbe.Unusable) outcome).problems()));
    }

    /** Vnish's {@code GET /api/v1/info} is open (its spec gives it no security): the model and firmware. */
    private static String vnishInfo(HttpTransport http, String base, Duration timeout) throws InterruptedException {
        try {
            JsonNode info = get(http, base + "/api/v1/info", timeout).json();
            return text(info, "miner", ", ") + text(info, "fw_name", ", ") + text(info, "fw_version", " ");
        } catch (HttpTransportException e) {
            return ""; // the page was evidence enough; the driver reads the rest
        }
    }

    /** The block of the antminer-web and braiins drivers ({@code username}) or vnish's (no username). */
    private static String webBlock(String host, int port, Login login, boolean hasUsername) {
        StringBuilder block = new StringBuilder("host: " + AgentProbeCommand.quote(host) + "\nport: " + port + "\n");
        if (hasUsername && login.username().isPresent()) {
            block.append("username: ")
                    .append(AgentProbeCommand.quote(login.username().get()))
                    .append('\n');
        }
        return block.toString();
    }

    private static HttpReply get(HttpTransport http, String uri, Duration timeout)
            throws HttpTransportException, InterruptedException {
        URI target;
        try {
            target = new URI(uri);
        } catch (URISyntaxException e) {
            throw new HttpTransportException(HttpTransportException.UNKNOWN_HOST, "not an address: " + uri, e);
        }
        return http.send("GET", target, Map.of(), HttpRequest.BodyPublishers.noBody(), timeout);
    }

    private static String authority(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    private static String text(JsonNode node, String field, String prefix) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? prefix + clip(value.asText()) : "";
    }

    /** A device's text as a message quotes it: one line, at most 80 characters. */
    private static String clip(String text) {
        String flat = text.strip().replaceAll("\\p{Cntrl}+", " ");
        return flat.length() > 80 ? flat.substring(0, 80) + "…" : flat;
    }
}
