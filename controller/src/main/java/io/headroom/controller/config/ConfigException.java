package io.headroom.controller.config;

import java.util.List;

/**
 * A controller configuration that cannot be used. Lists every problem found, each as
 * {@code path (line N): problem}, so that one start-up attempt shows everything to fix.
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(format(source, problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String source, List<String> problems, Throwable cause) {
        super(format(source, problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** Each problem as {@code path (line N): problem}, in file order where known. */
    public List<String> problems() {
        return problems;
    }

    private static String format(String source, List<String> problems) {
        StringBuilder text = new StringBuilder(source).append(": ").append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (String problem : problems) {
            text.append("\n  ").append(problem);
        }
        return text.toString();
    }
}
