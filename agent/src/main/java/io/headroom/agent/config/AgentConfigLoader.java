package io.headroom.agent.config;

import com.fasterxml.jackson.core.JsonToken;
import io.headroom.agent.profile.FirmwareProfile;
import io.headroom.agent.profile.ProfileCatalog;
import io.headroom.protocol.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code agent.yaml} into an {@link AgentConfig}, checking everything first and reporting
 * every problem at once, each with its key path and line. The keys and defaults are documented in
 * {@code docs/agent-config.md}; the defaults themselves live in {@link ConfigDefaults}.
 *
 * <p>Binding is done by hand on a line-aware tree rather than by Jackson data binding, because
 * data binding stops at the first error and loses the lines of the others.
 */
public final class AgentConfigLoader {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private AgentConfigLoader() {}

    /**
     * Reads and checks a config file; a relative {@code password-file} is resolved against the
     * file's directory.
     *
     * @throws ConfigException listing every problem found
     * @throws IOException when the file cannot be read
     */
    public static AgentConfig load(Path file) throws ConfigException, IOException {
        String yaml = Files.readString(file, StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        return parse(yaml, dir == null ? Path.of("").toAbsolutePath() : dir);
    }

    /**
     * Checks and binds a config document against the built-in firmware profiles.
     *
     * @param baseDir directory a relative {@code password-file} is resolved against
     * @throws ConfigException listing every problem found
     */
    public static AgentConfig parse(String yaml, Path baseDir) throws ConfigException {
        return parse(yaml, baseDir, ProfileCatalog.loadBuiltIn());
    }

    /** As {@link #parse(String, Path)}, against the given profiles. */
    public static AgentConfig parse(String yaml, Path baseDir, ProfileCatalog profiles) throws ConfigException {
        List<String> problems = new ArrayList<>();
        YamlNode root;
        try {
            root = YamlNode.parse(yaml, problems);
        } catch (YamlNode.SyntaxException e) {
            throw new ConfigException(List.of("(line " + e.line() + "): not valid YAML: " + e.getMessage()));
        }
        if (!(root instanceof YamlNode.Mapping)) {
            throw new ConfigException(List.of("(line " + (root == null ? 1 : root.line())
                    + "): the document must be a mapping with agent-id, site, mqtt and devices"));
        }
        AgentConfig config = new Binder(problems, baseDir, profiles).bind((YamlNode.Mapping) root);
        if (!problems.isEmpty() || config == null) {
            throw new ConfigException(problems.isEmpty() ? List.of("invalid configuration") : problems);
        }
        return config;
    }

    /** Parses {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; empty when the text is not one. */
    static Optional<Duration> parseDuration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms": return Optional.of(Duration.ofMillis(amount));
            case "s": return Optional.of(Duration.ofSeconds(amount));
            case "m": return Optional.of(Duration.ofMinutes(amount));
            default: return Optional.of(Duration.ofHours(amount));
        }
    }

    /** Walks the tree once, collecting problems; returns null when a record cannot be built. */
    private static final class Binder {
        private final List<String> problems;
        private final Path baseDir;
        private final ProfileCatalog profiles;

        Binder(List<String> problems, Path baseDir, ProfileCatalog profiles) {
            this.problems = problems;
            this.baseDir = baseDir;
            this.profiles = profiles;
        }

        AgentConfig bind(YamlNode.Mapping root) {
            Section top = new Section(problems, root, "", 1);
            String agentId = top.id("agent-id");
            String site = top.id("site");
            MqttSettings mqtt = mqtt(top.section("mqtt", true));
            PublishSettings publish = publish(top.section("publish", false));
            CommandSettings commands = commands(top.section("commands", false));
            MetricsSettings metrics = metrics(top.section("metrics", false));
            Section defaults = top.section("defaults", false);
            Duration defaultPoll = defaults.duration("poll-interval", ConfigDefaults.DEVICE_POLL_INTERVAL);
            Duration defaultTimeout = defaults.duration("timeout", ConfigDefaults.DEVICE_TIMEOUT);
            defaults.finish();
            List<DeviceConfig> devices = devices(top, defaultPoll, defaultTimeout);
            top.finish();
            if (!problems.isEmpty()) {
                return null;
            }
            try {
                return new AgentConfig(agentId, site, mqtt, publish, commands, metrics, devices);
            } catch (RuntimeException e) {
                problems.add("(line 1): " + e.getMessage());
                return null;
            }
        }

        private MqttSettings mqtt(Section s) {
            URI url = s.url("url");
            Path passwordFile = null;
            YamlNode.Scalar file = s.scalar("password-file", true);
            if (file != null) {
                try {
                    passwordFile = baseDir.resolve(file.text()).normalize();
                } catch (InvalidPathException e) {
                    s.problem("password-file", file.line(), "'" + file.text() + "' is not a valid path");
                }
            }
            Duration keepAlive = s.duration("keep-alive", ConfigDefaults.MQTT_KEEP_ALIVE);
            Duration connectTimeout = s.duration("connect-timeout", ConfigDefaults.MQTT_CONNECT_TIMEOUT);
            Duration reconnectMin = s.duration("reconnect-min", ConfigDefaults.MQTT_RECONNECT_MIN);
            Duration reconnectMax = s.duration("reconnect-max", ConfigDefaults.MQTT_RECONNECT_MAX);
            if (reconnectMin != null && reconnectMax != null && reconnectMin.compareTo(reconnectMax) > 0) {
                s.problem("reconnect-min", s.lineOf("reconnect-min"), format(reconnectMin)
                        + " must not exceed reconnect-max " + format(reconnectMax));
            }
            Optional<TlsSettings> tls = tls(s, url);
            s.finish();
            if (url == null || passwordFile == null || keepAlive == null || connectTimeout == null
                    || reconnectMin == null || reconnectMax == null || tls == null) {
                return null;
            }
            return new MqttSettings(url, passwordFile, keepAlive, connectTimeout, reconnectMin, reconnectMax, tls);
        }

        /**
         * The optional {@code mqtt.tls} block, or null after reporting a problem. Next to a
         * plaintext URL it is refused, never ignored: nothing is silently sent in the clear.
         */
        private Optional<TlsSettings> tls(Section mqtt, URI url) {
            if (!mqtt.present("tls")) {
                return Optional.empty();
            }
            Section s = mqtt.section("tls", false);
            Optional<Path> ca = file(s, "ca-file");
            Optional<Path> cert = file(s, "cert-file");
            Optional<Path> key = file(s, "key-file");
            boolean ok = ca != null && cert != null && key != null;
            if (s.present("cert-file") != s.present("key-file")) {
                String missing = s.present("cert-file") ? "key-file" : "cert-file";
                String given = s.present("cert-file") ? "cert-file" : "key-file";
                s.problem(missing, s.lineOf(given), "missing: " + given + " is set, and the two go together");
                ok = false;
            }
            s.finish();
            if (url != null && !"ssl".equals(url.getScheme()) && !"mqtts".equals(url.getScheme())) {
                mqtt.problem("tls", mqtt.lineOf("tls"), "is set but url is " + url
                        + " (plaintext); use ssl:// or mqtts://");
                ok = false;
            }
            return ok ? Optional.of(new TlsSettings(ca, cert, key)) : null;
        }

        /** An optional file, resolved against the config file's directory; null after reporting a bad path. */
        private Optional<Path> file(Section s, String key) {
            YamlNode.Scalar value = s.scalar(key, false);
            if (value == null) {
                return s.present(key) ? null : Optional.empty();
            }
            try {
                return Optional.of(baseDir.resolve(value.text()).normalize());
            } catch (InvalidPathException e) {
                s.problem(key, value.line(), "'" + value.text() + "' is not a valid path");
                return null;
            }
        }

        private PublishSettings publish(Section s) {
            Duration batch = s.duration("batch-interval", ConfigDefaults.PUBLISH_BATCH_INTERVAL);
            Duration refresh = s.duration("full-refresh-interval", ConfigDefaults.PUBLISH_FULL_REFRESH_INTERVAL);
            Integer maxUnacked = s.integer("max-unacked", ConfigDefaults.PUBLISH_MAX_UNACKED, 1, Integer.MAX_VALUE);
            if (batch != null && refresh != null && batch.compareTo(refresh) > 0) {
                s.problem("batch-interval", s.lineOf("batch-interval"), format(batch)
                        + " must not exceed full-refresh-interval " + format(refresh));
            }
            s.finish();
            if (batch == null || refresh == null || maxUnacked == null) {
                return null;
            }
            return new PublishSettings(batch, refresh, maxUnacked);
        }

        private CommandSettings commands(Section s) {
            Duration skew = s.duration("clock-skew-tolerance", ConfigDefaults.COMMANDS_CLOCK_SKEW_TOLERANCE);
            s.finish();
            return skew == null ? null : new CommandSettings(skew);
        }

        private MetricsSettings metrics(Section s) {
            String bind = s.host("bind", ConfigDefaults.METRICS_BIND);
            Integer port = s.integer("port", ConfigDefaults.METRICS_PORT, 0, 65_535);
            s.finish();
            return bind == null || port == null ? null : new MetricsSettings(bind, port);
        }

        private List<DeviceConfig> devices(Section top, Duration defaultPoll, Duration defaultTimeout) {
            YamlNode node = top.node("devices", true);
            if (node == null) {
                return List.of();
            }
            if (!(node instanceof YamlNode.Sequence)) {
                top.problem("devices", node.line(), "expected a list of devices, found " + node.shape());
                return List.of();
            }
            List<DeviceConfig> devices = new ArrayList<>();
            Map<String, Integer> idLines = new HashMap<>();
            List<YamlNode> items = ((YamlNode.Sequence) node).items();
            for (int i = 0; i < items.size(); i++) {
                String path = "devices[" + i + "]";
                YamlNode item = items.get(i);
                if (!(item instanceof YamlNode.Mapping)) {
                    problems.add(path + " (line " + item.line() + "): expected a mapping, found " + item.shape());
                    continue;
                }
                Section d = new Section(problems, (YamlNode.Mapping) item, path, item.line());
                String id = d.id("id");
                if (id != null) {
                    Integer first = idLines.putIfAbsent(id, d.lineOf("id"));
                    if (first != null) {
                        d.problem("id", d.lineOf("id"), "duplicate id '" + id + "' (first at line " + first + ")");
                    }
                }
                FirmwareProfile profile = null;
                YamlNode.Scalar profileNode = d.scalar("profile", true);
                if (profileNode != null) {
                    profile = profiles.find(profileNode.text()).orElse(null);
                    if (profile == null) {
                        d.problem("profile", profileNode.line(), "unknown profile '" + profileNode.text()
                                + "'; known: " + String.join(", ", profiles.ids()));
                    }
                }
                String host = d.host("host");
                Integer port = d.integer("port", profile == null ? null : profile.defaultPort(), 1, 65_535);
                Duration poll = d.duration("poll-interval", defaultPoll);
                Duration timeout = d.duration("timeout", defaultTimeout);
                if (poll != null && timeout != null && timeout.compareTo(poll) > 0) {
                    int line = d.has("timeout") ? d.lineOf("timeout")
                            : d.has("poll-interval") ? d.lineOf("poll-interval") : item.line();
                    d.problem("timeout", line, format(timeout) + " must not exceed poll-interval " + format(poll));
                }
                d.finish();
                if (id != null && profile != null && host != null && port != null && poll != null && timeout != null) {
                    devices.add(new DeviceConfig(id, profile.id(), host, port, poll, timeout));
                }
            }
            return devices;
        }
    }

    private static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.toSeconds();
        return s % 60 == 0 && s > 0 ? (s / 60) + "m" : s + "s";
    }

    /** One mapping of the document: typed getters that record problems, and unknown-key checks. */
    private static final class Section {
        private final List<String> problems;
        private final YamlNode.Mapping node;
        private final String path;
        private final int line;
        private final Set<String> known = new LinkedHashSet<>();

        Section(List<String> problems, YamlNode.Mapping node, String path, int line) {
            this.problems = problems;
            this.node = node;
            this.path = path;
            this.line = line;
        }

        private String at(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        void problem(String key, int atLine, String message) {
            problems.add(at(key) + " (line " + atLine + "): " + message);
        }

        boolean has(String key) {
            return node != null && node.entries().containsKey(key);
        }

        int lineOf(String key) {
            YamlNode.Entry entry = node == null ? null : node.entries().get(key);
            return entry == null ? line : entry.keyLine();
        }

        /** The value node of a key; a missing required key is a problem. YAML null counts as missing. */
        YamlNode node(String key, boolean required) {
            known.add(key);
            YamlNode.Entry entry = node == null ? null : node.entries().get(key);
            boolean absent = entry == null
                    || (entry.value() instanceof YamlNode.Scalar && ((YamlNode.Scalar) entry.value()).text() == null);
            if (absent) {
                if (required) {
                    problem(key, entry == null ? line : entry.keyLine(), "missing required key");
                }
                return null;
            }
            return entry.value();
        }

        YamlNode.Scalar scalar(String key, boolean required) {
            YamlNode value = node(key, required);
            if (value == null) {
                return null;
            }
            if (!(value instanceof YamlNode.Scalar)) {
                problem(key, value.line(), "expected a value, found " + value.shape());
                return null;
            }
            YamlNode.Scalar scalar = (YamlNode.Scalar) value;
            if (scalar.text().isBlank()) {
                problem(key, scalar.line(), "must not be empty");
                return null;
            }
            return scalar;
        }

        Section section(String key, boolean required) {
            YamlNode value = node(key, required);
            if (value == null) {
                return new Section(problems, null, at(key), lineOf(key));
            }
            if (!(value instanceof YamlNode.Mapping)) {
                problem(key, value.line(), "expected a mapping, found " + value.shape());
                return new Section(problems, null, at(key), lineOf(key));
            }
            return new Section(problems, (YamlNode.Mapping) value, at(key), lineOf(key));
        }

        String id(String key) {
            YamlNode.Scalar value = scalar(key, true);
            if (value == null) {
                return null;
            }
            String problem = Topics.idProblem(value.text());
            if (problem != null) {
                problem(key, value.line(), "'" + value.text() + "' " + problem);
                return null;
            }
            return value.text();
        }

        String host(String key) {
            YamlNode.Scalar value = scalar(key, true);
            if (value == null) {
                return null;
            }
            if (!value.text().matches("[A-Za-z0-9._:\\-\\[\\]]+")) {
                problem(key, value.line(), "'" + value.text() + "' is not a host name or address");
                return null;
            }
            return value.text();
        }

        /** The host name or address, the fallback when the key is absent, or null after reporting it. */
        String host(String key, String fallback) {
            return present(key) ? host(key) : fallback;
        }

        /** True if the key is present with a non-null value. */
        private boolean present(String key) {
            known.add(key);
            YamlNode.Entry entry = node == null ? null : node.entries().get(key);
            return entry != null
                    && !(entry.value() instanceof YamlNode.Scalar && ((YamlNode.Scalar) entry.value()).text() == null);
        }

        /** The value, the fallback when the key is absent, or null after reporting a bad value. */
        Duration duration(String key, Duration fallback) {
            if (!present(key)) {
                return fallback;
            }
            YamlNode.Scalar value = scalar(key, false);
            if (value == null) {
                return null;
            }
            Optional<Duration> parsed = parseDuration(value.text());
            if (parsed.isEmpty()) {
                problem(key, value.line(), "'" + value.text() + "' is not a duration; use e.g. 500ms, 10s, 2m, 1h");
                return null;
            }
            if (parsed.get().isZero()) {
                problem(key, value.line(), "must be greater than zero");
                return null;
            }
            return parsed.get();
        }

        /** The value, the fallback when the key is absent, or null after reporting a bad value. */
        Integer integer(String key, Integer fallback, int min, int max) {
            if (!present(key)) {
                return fallback;
            }
            YamlNode.Scalar value = scalar(key, false);
            if (value == null) {
                return null;
            }
            long parsed;
            try {
                if (value.token() != JsonToken.VALUE_NUMBER_INT) {
                    throw new NumberFormatException();
                }
                parsed = Long.parseLong(value.text());
            } catch (NumberFormatException e) {
                problem(key, value.line(), "'" + value.text() + "' is not a whole number");
                return null;
            }
            if (parsed < min || parsed > max) {
                problem(key, value.line(), parsed + " is outside " + min + ".." + max);
                return null;
            }
            return (int) parsed;
        }

        URI url(String key) {
            YamlNode.Scalar value = scalar(key, true);
            if (value == null) {
                return null;
            }
            try {
                URI uri = new URI(value.text());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme();
                if ("ws".equals(scheme) || "wss".equals(scheme)) {
                    problem(key, value.line(), "'" + value.text() + "': MQTT over WebSocket is not supported; use "
                            + "tcp:// or mqtt:// (plaintext), ssl:// or mqtts:// (TLS)");
                    return null;
                }
                if (!Set.of("tcp", "mqtt", "ssl", "mqtts").contains(scheme)) {
                    problem(key, value.line(), "'" + value.text() + "' must start with tcp:// or mqtt:// (plaintext), "
                            + "ssl:// or mqtts:// (TLS)");
                    return null;
                }
                if (uri.getHost() == null) {
                    problem(key, value.line(), "'" + value.text() + "' has no host");
                    return null;
                }
                return uri;
            } catch (URISyntaxException e) {
                problem(key, value.line(), "'" + value.text() + "' is not a URL: " + e.getReason());
                return null;
            }
        }

        /** Reports keys nobody asked for, listing the known ones. */
        void finish() {
            if (node == null) {
                return;
            }
            for (YamlNode.Entry entry : node.entries().values()) {
                if (!known.contains(entry.key())) {
                    problem(entry.key(), entry.keyLine(), "unknown key; known keys: " + String.join(", ", known));
                }
            }
        }
    }
}
