package io.headroom.controller.broker;

import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The filters the controller subscribes to on the broker: the site's agent-to-controller kinds, the
 * grid signal when it is enabled, the market price topics when there is a market; each prefixed
 * {@code $share/<group>/} while shared subscriptions are in use.
 */
final class BrokerSubscriptions {
    private static final String SHARE_PREFIX = "$share/";
    /** SUBACK reason codes from here on are refusals (MQTT 5 §3.9.3). */
    private static final int FIRST_REFUSAL = 0x80;

    private final List<String> filters;
    private final Optional<String> sharedGroup;

    BrokerSubscriptions(String site, boolean gridSignal, boolean marketPrices, Optional<String> sharedGroup) {
        List<String> wanted = new ArrayList<>();
        for (TopicKind kind : TopicKind.values()) {
            if (kind.direction() == TopicKind.Direction.FROM_AGENT) {
                wanted.add(Topics.allAgentsFilter(site, kind));
            }
        }
        if (gridSignal) {
            wanted.add(Topics.gridSignal(site).toWire());
        }
        if (marketPrices) {
            wanted.add(Topics.ROOT + '/' + site + "/market/+");
        }
        this.filters = List.copyOf(wanted);
        this.sharedGroup = sharedGroup;
    }

    /** Whether a shared group is configured at all. */
    boolean sharedConfigured() {
        return sharedGroup.isPresent();
    }

    /** The filters to subscribe to, shared or plain. */
    List<String> filters(boolean shared) {
        if (!shared || sharedGroup.isEmpty()) {
            return filters;
        }
        String prefix = SHARE_PREFIX + sharedGroup.get() + '/';
        return filters.stream().map(filter -> prefix + filter).toList();
    }

    /**
     * The index of the first refused subscription in a SUBACK, or -1 when all were granted. A
     * SUBACK with fewer codes than filters refuses the ones it leaves out.
     */
    static int firstRefused(int @org.jspecify.annotations.Nullable [] reasonCodes, int filters) {
        for (int i = 0; i < filters; i++) {
            if (reasonCodes == null || i >= reasonCodes.length || reasonCodes[i] >= FIRST_REFUSAL) {
                return i;
            }
        }
        return -1;
    }

    /** The reason code at {@code index}, {@code 0x80} (unspecified error) when the SUBACK lacks it. */
    static int code(int @org.jspecify.annotations.Nullable [] reasonCodes, int index) {
        return reasonCodes == null || index >= reasonCodes.length ? FIRST_REFUSAL : reasonCodes[index];
    }
}
