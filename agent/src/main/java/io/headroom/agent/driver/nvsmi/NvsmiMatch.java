package io.headroom.agent.driver.nvsmi;

import io.headroom.config.Doc;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code match:} rule of an nvidia-smi profile: the text of the element at {@code path} below
 * {@code <nvidia_smi_log>} (the first GPU's, for a path through {@code gpu}) contains {@code pattern}.
 *
 * @param path e.g. {@code driver_version} or {@code gpu/product_name}
 * @param pattern regular expression the text must contain
 */
public record NvsmiMatch(
        @Doc("Element path below <nvidia_smi_log>, e.g. gpu/product_name.")
        String path,

        @Doc("Regular expression the element's text must contain.")
        String pattern) {
    public NvsmiMatch {
        NvsmiXml.requireValidPath(path, "path");
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern: not a regular expression: " + e.getDescription(), e);
        }
    }

    boolean matches(NvsmiLog log) {
        String text = NvsmiXml.text(log.root(), path);
        return text != null && Pattern.compile(pattern).matcher(text).find();
    }
}
