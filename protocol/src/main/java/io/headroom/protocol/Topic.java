package io.headroom.protocol;

import java.util.Objects;

/**
 * A parsed Headroom topic: either an agent topic ({@code headroom/v1/<site>/<agent>/<kind>}) or
 * the controller state topic ({@code headroom/v1/<site>/controller/state}).
 */
public sealed interface Topic permits Topic.AgentTopic, Topic.ControllerStateTopic {

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
}
