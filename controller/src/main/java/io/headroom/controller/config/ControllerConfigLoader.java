package io.headroom.controller.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.headroom.protocol.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code controller.yaml} into a {@link ControllerConfig}. Unknown keys and invalid values are
 * all collected and reported together in one {@link ConfigException}, each with its dotted path and
 * line ({@code mqtt.port (line 4): 70000 is outside 0..65535}). Durations are written {@code 500ms},
 * {@code 30s}, {@code 2m} or {@code 1h}. The format is documented in {@code docs/controller.md}.
 */
public final class ControllerConfigLoader {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private ControllerConfigLoader() {}

    /**
     * Reads and validates a config file. A relative {@code mqtt.credentials-file} is resolved against
     * the directory the config file is in.
     *
     * @throws IOException if the file cannot be read
     * @throws ConfigException listing every problem in the file
     */
    public static ControllerConfig load(Path file) throws IOException, ConfigException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path base = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), base);
    }

    /**
     * Validates config text; a relative {@code mqtt.credentials-file} stays relative to the working
     * directory.
     *
     * @throws ConfigException listing every problem in the text
     */
    public static ControllerConfig parse(String yaml) throws ConfigException {
        return parse(yaml, "controller config", null);
    }

    private static ControllerConfig parse(String yaml, String source, Path base) throws ConfigException {
        Map<String, Integer> lines = new HashMap<>();
        JsonNode root;
        try {
            recordKeyLines(yaml, lines);
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            String where = line > 0 ? "(line " + line + ")" : "(syntax)";
            throw new ConfigException(source, List.of(where + ": not valid YAML: " + e.getOriginalMessage()), e);
        }
        Problems problems = new Problems(lines);
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = YAML.createObjectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException(source, List.of("(root): must be a mapping of keys to values"));
        }
        ControllerConfig config = read(new Section("", (ObjectNode) root, problems), base);
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems.sorted());
        }
        return config;
    }

    private static ControllerConfig read(Section root, Path base) {
        String site = root.requiredString("site");
        if (site != null) {
            root.check("site", Topics.idProblem(site));
        }
        String controllerId = root.string("controller-id", ControllerConfig.DEFAULT_CONTROLLER_ID);
        root.check("controller-id", Topics.idProblem(controllerId));
        Section mqttSection = root.section("mqtt", true);
        ControllerConfig.Mqtt mqtt = mqttSection == null ? null : readMqtt(mqttSection, base);
        Section httpSection = root.section("http", false);
        ControllerConfig.Http http = readHttp(httpSection == null ? root.empty("http") : httpSection);
        Duration lease = root.duration("lease", ControllerConfig.DEFAULT_LEASE,
                ControllerConfig.MIN_LEASE, ControllerConfig.MAX_LEASE);
        root.rejectUnknown("site", "controller-id", "mqtt", "http", "lease");
        if (!root.problems.isEmpty() || mqtt == null || http == null) {
            return null;
        }
        try {
            return new ControllerConfig(site, controllerId, mqtt, http, lease);
        } catch (IllegalArgumentException e) {
            root.problems.add("", e.getMessage());
            return null;
        }
    }

    private static ControllerConfig.Mqtt readMqtt(Section mqtt, Path base) {
        String bind = mqtt.string("bind", ControllerConfig.Mqtt.DEFAULT_BIND);
        int port = mqtt.integer("port", ControllerConfig.Mqtt.DEFAULT_PORT, 0, 65_535);
        String credentials = mqtt.requiredString("credentials-file");
        int maxPacketSize = mqtt.integer("max-packet-size", ControllerConfig.Mqtt.DEFAULT_MAX_PACKET_SIZE,
                1024, 268_435_455);
        Duration maxKeepAlive = mqtt.duration("max-keep-alive", ControllerConfig.Mqtt.DEFAULT_MAX_KEEP_ALIVE,
                Duration.ofSeconds(1), Duration.ofSeconds(65_535));
        int maxConnections = mqtt.integer("max-connections", ControllerConfig.Mqtt.DEFAULT_MAX_CONNECTIONS,
                1, 1_000_000);
        mqtt.rejectUnknown("bind", "port", "credentials-file", "max-packet-size", "max-keep-alive", "max-connections");
        if (mqtt.hasProblems() || credentials == null) {
            return null;
        }
        Path credentialsFile = Path.of(credentials);
        if (base != null && !credentialsFile.isAbsolute()) {
            credentialsFile = base.resolve(credentialsFile);
        }
        return new ControllerConfig.Mqtt(bind, port, credentialsFile, maxPacketSize, maxKeepAlive, maxConnections);
    }

    private static ControllerConfig.Http readHttp(Section http) {
        String bind = http.string("bind", ControllerConfig.Http.DEFAULT_BIND);
        int port = http.integer("port", ControllerConfig.Http.DEFAULT_PORT, 0, 65_535);
        http.rejectUnknown("bind", "port");
        return http.hasProblems() ? null : new ControllerConfig.Http(bind, port);
    }

    /** First pass: the line of every key, by dotted path, since the tree model drops locations. */
    private static void recordKeyLines(String yaml, Map<String, Integer> lines) throws JsonProcessingException {
        try (JsonParser parser = YAML.getFactory().createParser(yaml)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    String path = parser.getParsingContext().pathAsPointer().toString().substring(1).replace('/', '.');
                    lines.putIfAbsent(path, parser.currentTokenLocation().getLineNr());
                }
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading from a String cannot fail", e);
        }
    }

    private static final class Problems {
        private final Map<String, Integer> lines;
        private final List<Map.Entry<Integer, String>> found = new ArrayList<>();

        Problems(Map<String, Integer> lines) {
            this.lines = lines;
        }

        void add(String path, String problem) {
            Integer line = lines.get(path);
            String where = path.isEmpty() ? "(root)" : path;
            String text = line == null ? where + ": " + problem : where + " (line " + line + "): " + problem;
            found.add(Map.entry(line == null ? Integer.MAX_VALUE : line, text));
        }

        boolean isEmpty() {
            return found.isEmpty();
        }

        int size() {
            return found.size();
        }

        List<String> sorted() {
            return found.stream().sorted(Comparator.comparing(Map.Entry::getKey)).map(Map.Entry::getValue).toList();
        }
    }

    /** One mapping of the file, read key by key; every read remembers the problem it found. */
    private static final class Section {
        private final String prefix;
        private final ObjectNode node;
        private final Problems problems;
        private final int problemsAtStart;

        Section(String prefix, ObjectNode node, Problems problems) {
            this.prefix = prefix;
            this.node = node;
            this.problems = problems;
            this.problemsAtStart = problems.size();
        }

        Section empty(String key) {
            return new Section(path(key), YAML.createObjectNode(), problems);
        }

        boolean hasProblems() {
            return problems.size() > problemsAtStart;
        }

        String path(String key) {
            return prefix.isEmpty() ? key : prefix + '.' + key;
        }

        void check(String key, String problem) {
            if (problem != null) {
                problems.add(path(key), problem);
            }
        }

        Section section(String key, boolean required) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                if (required) {
                    problems.add(path(key), "required");
                }
                return null;
            }
            if (!value.isObject()) {
                problems.add(path(key), "must be a mapping of keys to values");
                return null;
            }
            return new Section(path(key), (ObjectNode) value, problems);
        }

        String requiredString(String key) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                problems.add(path(key), "required");
                return null;
            }
            return string(key, null);
        }

        String string(String key, String fallback) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isValueNode()) {
                problems.add(path(key), "must be a single value");
                return fallback;
            }
            String text = value.asText();
            if (text.isBlank()) {
                problems.add(path(key), "must not be blank");
                return fallback;
            }
            return text;
        }

        int integer(String key, int fallback, int min, int max) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isIntegralNumber()) {
                problems.add(path(key), "'" + describe(value) + "' is not a whole number");
                return fallback;
            }
            if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
                problems.add(path(key), value.asText() + " is outside " + min + ".." + max);
                return fallback;
            }
            return value.intValue();
        }

        Duration duration(String key, Duration fallback, Duration min, Duration max) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            Matcher matcher = value.isTextual() ? DURATION.matcher(value.asText()) : null;
            if (matcher == null || !matcher.matches()) {
                problems.add(path(key), "'" + describe(value) + "' is not a duration; write e.g. 500ms, 30s, 2m or 1h");
                return fallback;
            }
            long amount = Long.parseLong(matcher.group(1));
            Duration duration;
            switch (matcher.group(2)) {
                case "ms": duration = Duration.ofMillis(amount); break;
                case "s": duration = Duration.ofSeconds(amount); break;
                case "m": duration = Duration.ofMinutes(amount); break;
                default: duration = Duration.ofHours(amount); break;
            }
            if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
                problems.add(path(key), value.asText() + " is outside " + format(min) + ".." + format(max));
                return fallback;
            }
            return duration;
        }

        void rejectUnknown(String... known) {
            List<String> knownKeys = List.of(known);
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!knownKeys.contains(name)) {
                    problems.add(path(name), "unknown key; known keys: " + String.join(", ", knownKeys));
                }
            }
        }

        private static String describe(JsonNode value) {
            return value.isValueNode() ? value.asText() : value.isArray() ? "a list" : "a mapping";
        }

        private static String format(Duration duration) {
            if (duration.toMillisPart() != 0 || duration.isZero()) {
                return duration.toMillis() + "ms";
            }
            if (duration.toSecondsPart() != 0) {
                return duration.toSeconds() + "s";
            }
            if (duration.toMinutesPart() != 0) {
                return duration.toMinutes() + "m";
            }
            return duration.toHours() + "h";
        }
    }
}
