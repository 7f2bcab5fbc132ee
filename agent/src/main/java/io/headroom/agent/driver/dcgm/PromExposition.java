package io.headroom.agent.driver.dcgm;

import java.util.List;
import java.util.Map;

/**
 * A parsed Prometheus text exposition (format 0.0.4): the samples of every line that parsed, the
 * {@code # TYPE} of each metric family, and one message per line that did not parse.
 *
 * @param samples sample lines that parsed, in body order
 * @param types metric family → counter, gauge, histogram, summary or untyped
 * @param help metric family → its unescaped {@code # HELP} text
 * @param errors {@code line N: …} for each line that broke the format; empty for a clean body
 */
public record PromExposition(
        List<PromSample> samples, Map<String, String> types, Map<String, String> help, List<String> errors) {
    public PromExposition {
        samples = List.copyOf(samples);
        types = Map.copyOf(types);
        help = Map.copyOf(help);
        errors = List.copyOf(errors);
    }

    /** The family's declared type, {@code untyped} when it has no {@code # TYPE} line. */
    public String type(String family) {
        return types.getOrDefault(family, "untyped");
    }
}
