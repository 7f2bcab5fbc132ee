package io.headroom.agent.driver.nvsmi;

import java.util.List;
import java.util.Objects;
import org.w3c.dom.Element;

/**
 * A parsed {@code nvidia-smi -q -x} output.
 *
 * @param root the {@code <nvidia_smi_log>} element
 * @param gpus its {@code <gpu>} elements in output order; a GPU's index is its position, the order
 *     nvidia-smi numbers them for {@code -i}
 */
record NvsmiLog(Element root, List<Element> gpus) {
    NvsmiLog {
        Objects.requireNonNull(root, "root");
        gpus = List.copyOf(gpus);
    }
}
