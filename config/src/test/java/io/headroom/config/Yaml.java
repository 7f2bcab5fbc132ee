package io.headroom.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers: parse YAML text, bind it, and read problems as the operator sees them. */
final class Yaml {

    static final Path BASE = Path.of("/etc/headroom");

    private Yaml() {}

    static ConfigNode parse(String... lines) {
        try {
            return ConfigDocuments.parse("agent.yaml", String.join("\n", lines) + "\n");
        } catch (ConfigException e) {
            throw new AssertionError("test YAML does not parse: " + e.getMessage(), e);
        }
    }

    static <T extends Record> T bind(Class<T> type, String... lines) throws ConfigException {
        return new ConfigBinder(BASE).bind(parse(lines), type);
    }

    /** The problems binding reports, as printed; fails if binding succeeds. */
    static List<String> problems(Class<? extends Record> type, String... lines) {
        try {
            Object bound = bind(type, lines);
            throw new AssertionError("expected problems, but bound " + bound);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
        }
    }
}
