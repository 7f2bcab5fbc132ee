package io.headroom.protocol;

import java.util.Objects;

/**
 * A parsed Headroom topic: an agent topic ({@code headroom/v1/<site>/<agent>/<kind>}), the
 * controller state topic ({@code headroom/v1/<site>/controller/state}), the site's grid signal
 * topic ({@code headroom/v1/<site>/grid/signal}) or one of the site's market price topics
 * ({@code headroom/v1/<site>/market/<input>}).
 */
public sealed interface Topic
        permits Topic.AgentTopic, Topic.ControllerStateTopic, Topic.GridSignalTopic, Topic.MarketPriceTopic {

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

    /**
     * {@code headroom/v1/<site>/market/<input>}: one price of the controller's market inputs (e.g.
     * {@code energy-rt}), published by a principal with the controller's {@code price} role. Like the
     * grid signal its payload is UTF-8 JSON from outside Headroom, parsed by the controller (see the
     * controller's {@code docs/market.md}). No agent publishes or receives it.
     *
     * @param input the input's name, an id like a site's; which names the controller takes is its
     *     configuration, not the protocol's
     */
    record MarketPriceTopic(String site, String input) implements Topic {
        public MarketPriceTopic {
            Topics.requireValidId(site, "site");
            Topics.requireValidId(input, "input");
        }

        @Override
        public String toWire() {
            return Topics.PREFIX + site + '/' + Topics.MARKET_LEVEL + '/' + input;
        }
    }
}
