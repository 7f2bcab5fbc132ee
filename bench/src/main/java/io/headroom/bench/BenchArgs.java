package io.headroom.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --name value} and {@code --flag} arguments of the process benches, refused when unknown
 * so that a typo is not a silently different measurement.
 */
final class BenchArgs {
    private final Map<String, String> values = new HashMap<>();

    BenchArgs(String[] args, List<String> options, List<String> flags) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (flags.contains(a)) {
                values.put(a, "true");
            } else if (options.contains(a)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                values.put(a, args[++i]);
            } else {
                throw new IllegalArgumentException(
                        "unknown argument '" + a + "'; options: " + options + ", flags: " + flags);
            }
        }
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    String string(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    int integer(String name, int otherwise) {
        String v = values.get(name);
        try {
            return v == null ? otherwise : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not a whole number", e);
        }
    }

    double number(String name, double otherwise) {
        String v = values.get(name);
        try {
            return v == null ? otherwise : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not a number", e);
        }
    }
}
