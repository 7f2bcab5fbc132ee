package io.headroom.agent.driver.dcgm;

import io.headroom.config.Default;
import io.headroom.config.Doc;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code match:} rule of a dcgm profile: some sample's name contains {@code metric} and, when
 * {@code label} is given, that label's value contains {@code pattern} (finds, not full matches).
 *
 * @param metric regular expression the sample's name must contain, e.g. {@code ^DCGM_FI_DEV_}
 * @param label a label to check, e.g. {@code modelName}; empty to check the name only
 * @param pattern regular expression the label's value must contain
 */
public record DcgmMatch(
        @Doc("Regular expression a sample's name must contain, e.g. ^DCGM_FI_DEV_.")
        String metric,

        @Doc("Label whose value is checked, e.g. modelName; empty for none.") @Default("")
        String label,

        @Doc("Regular expression that label's value must contain.") @Default("")
        String pattern) {
    public DcgmMatch {
        compile(metric, "metric");
        compile(pattern, "pattern");
    }

    private static Pattern compile(String regex, String key) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(key + ": not a regular expression: " + e.getDescription(), e);
        }
    }

    /** Whether some sample of the exposition meets the rule. */
    boolean matches(PromExposition exposition) {
        Pattern name = Pattern.compile(metric);
        Pattern value = Pattern.compile(pattern);
        for (PromSample sample : exposition.samples()) {
            if (!name.matcher(sample.name()).find()) {
                continue;
            }
            if (label.isEmpty()
                    || (sample.labels().containsKey(label)
                            && value.matcher(sample.label(label)).find())) {
                return true;
            }
        }
        return false;
    }
}
