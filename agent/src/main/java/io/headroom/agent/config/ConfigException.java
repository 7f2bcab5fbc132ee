package io.headroom.agent.config;

import java.util.List;

/**
 * {@code agent.yaml} could not be accepted. Carries every problem found, each naming the key's
 * path and line ({@code devices[2].port (line 19): 70000 is outside 1..65535}); the message lists
 * them one per line so that one start-up shows them all.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: must not be empty");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in file order as far as it could be determined. */
    public List<String> problems() {
        return problems;
    }
}
