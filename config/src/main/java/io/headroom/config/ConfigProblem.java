package io.headroom.config;

/**
 * One thing wrong with a config file, said once in one wording for every file kind:
 * {@code agent.yaml:12: devices[3].snmp.version: must be one of 1, 2c, 3}.
 *
 * @param file as in {@link ConfigNode.Origin#file()}
 * @param line 1-based; 0 when the problem has no line (the file is empty)
 * @param path key path, {@code ""} for the document itself
 * @param message what is wrong and, where it helps, what would be right
 */
public record ConfigProblem(String file, int line, String path, String message) {

    /** A problem at a node. */
    public static ConfigProblem at(ConfigNode.Origin origin, String message) {
        return new ConfigProblem(origin.file(), origin.line(), origin.path(), message);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(file);
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (!path.isEmpty()) {
            text.append(path).append(": ");
        }
        return text.append(message).toString();
    }
}
