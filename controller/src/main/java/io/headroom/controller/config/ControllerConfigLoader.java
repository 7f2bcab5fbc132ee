package io.headroom.controller.config;

import io.headroom.config.ConfigBinder;
import io.headroom.config.ConfigDocuments;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigNode;
import io.headroom.config.Problems;
import io.headroom.protocol.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code controller.yaml} into a {@link ControllerConfig} with the binder every Headroom config
 * file uses: every problem at once, as {@code file:line: path: message}. Keys are documented in
 * {@code docs/controller.md}.
 */
public final class ControllerConfigLoader {

    private ControllerConfigLoader() {}

    /**
     * Reads and validates a config file; a relative {@code mqtt.credentials-file} is resolved against
     * the file's directory.
     *
     * @throws IOException if the file cannot be read
     * @throws ConfigException listing every problem in the file
     */
    public static ControllerConfig load(Path file) throws IOException, ConfigException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        return parse(file.toString(), text, dir == null ? Path.of("").toAbsolutePath() : dir);
    }

    /**
     * Validates config text.
     *
     * @param fileName what problems name the file by
     * @param baseDir what a relative {@code mqtt.credentials-file} resolves against
     * @throws ConfigException listing every problem in the text
     */
    public static ControllerConfig parse(String fileName, String yaml, Path baseDir) throws ConfigException {
        ConfigNode root = ConfigDocuments.parse(fileName, yaml);
        Problems problems = new Problems();
        ControllerConfig config = new ConfigBinder(baseDir).bind(root, ControllerConfig.class, problems);
        if (config == null && root instanceof ConfigNode.Mapping mapping) {
            // The record's constructor, which checks the ids, runs only when every key bound: check them
            // here too, so a file with other problems still reports a bad site.
            problems.checkScalar(mapping, "site", Topics::idProblem);
            problems.checkScalar(mapping, "controller-id", Topics::idProblem);
        }
        problems.throwIfAny();
        return config;
    }
}
