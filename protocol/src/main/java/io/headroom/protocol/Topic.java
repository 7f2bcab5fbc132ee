package io.headroom.protocol;

import java.util.Objects;

/**
 * A parsed Headroom topic: an agent topic ({@code headroom/v1/<site>/<agent>/<kind>}), the
 * controller state topic ({@code headroom/v1/<site>/controller/state}) or the site's grid signal
 * topic ({@code headroom/v1/<site>/grid/signal}).
 */
public sealed interface Topic permits Topic.AgentTopic, Topic.ControllerStateTopic, Topic.GridSignalTopic {

    String site();

    /** The topic string, exactly as it goes on the wire. */
    String toWire();

    /** {@code headroom/v1/<site>/<agent>/<kind>}. */
    record AgentTopic(String site, String agent, TopicKind kind) implements Topic {
        public AgentTopic {
            Topics.requireValidId(site, "site");
            Topics.requireValidId(agent, "agent");
            if (Topics.CONTROLLER_LEVEL.equals(agent)) {
                throw new IllegalArgumentException("agent: '" + Topics.CONTROLLER_LEVEL + "' is reserved");
            }
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public String toWire() {
            return Topics.PREFIX + site + '/' + agent + '/' + kind.wireName();
        }
    }

    /** {@code headroom/v1/<site>/controller/state}, retained. */
    record ControllerStateTopic(String site) implements Topic {
        public ControllerStateTopic {
            Topics.requireValidId(site, "site");
        }

        @Override
        public String toWire() {
            return Topics.PREFIX + site + '/' + Topics.CONTROLLER_LEVEL + '/' + Topics.STATE_LEVEL;
        }
    }

    /**
     * {@code headroom/v1/<site>/grid/signal}: the grid operator's (or a site EMS's) target percent
     * of load, published by a principal with the controller's {@code grid} role. Its payload is
     * UTF-8 JSON, not protocol buffers, because it comes from outside Headroom; the controller
     * parses it (see the controller's {@code docs/grid-signal.md}). No agent publishes or receives it.
     */
    record GridSignalTopic(String site) implements Topic {
        public GridSignalTopic {
            Topics.requireValidId(site, "site");
        }

        @Override
        public String toWire() {
            return Topics.PREFIX + site + '/' + Topics.GRID_LEVEL + '/' + Topics.SIGNAL_LEVEL;
        }
    }
}
