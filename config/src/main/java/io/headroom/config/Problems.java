package io.headroom.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Collects problems from several binding steps, so that one run reports them all. */
public final class Problems {

    private final List<ConfigProblem> problems = new ArrayList<>();

    /** Adds a problem at a node. */
    public void add(ConfigNode.Origin origin, String message) {
        problems.add(ConfigProblem.at(origin, message));
    }

    public void add(ConfigProblem problem) {
        problems.add(problem);
    }

    /** How many problems so far; lets a binding step tell whether it added any. */
    int size() {
        return problems.size();
    }

    /**
     * Adds the problem of a key the caller does not know, in the wording the binder uses for every
     * unknown key ({@code unknown key; did you mean poll-interval?}), for callers that take some keys
     * of a mapping themselves ({@link OtherKeys}).
     */
    public void unknownKey(ConfigNode.Origin keyOrigin, String key, java.util.List<String> known) {
        add(keyOrigin, Binding.unknownKey(key, known));
    }

    /**
     * Checks a scalar of a mapping with a rule of the caller's (the characters of an id), unless a
     * problem is already reported at that key: for a check that a record's own constructor makes only
     * when every one of its keys bound, so that a file with other problems still reports this one.
     *
     * @param problemOf what is wrong with the text, or null when nothing is; a message that does not
     *     start by quoting the text gets it quoted in front ({@code 'a b' contains ' '})
     */
    public void checkScalar(
            ConfigNode node, String key, java.util.function.Function<String, @Nullable String> problemOf) {
        if (!(node instanceof ConfigNode.Mapping mapping) || !mapping.entries().containsKey(key)) {
            return;
        }
        ConfigNode value = mapping.entries().get(key).value();
        if (!(value instanceof ConfigNode.Scalar scalar) || scalar.text() == null) {
            return;
        }
        String text = scalar.text();
        String path = scalar.origin().path();
        if (problems.stream().anyMatch(p -> p.path().equals(path))) {
            return;
        }
        String problem = problemOf.apply(text);
        if (problem != null) {
            add(scalar.origin(), problem.startsWith("'") ? problem : "'" + text + "' " + problem);
        }
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Every problem so far, in file and line order. */
    public List<ConfigProblem> list() {
        List<ConfigProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing(ConfigProblem::file).thenComparingInt(ConfigProblem::line));
        return sorted;
    }

    /** @throws ConfigException when any problem was added */
    public void throwIfAny() throws ConfigException {
        if (!problems.isEmpty()) {
            throw new ConfigException(list());
        }
    }
}
