package io.headroom.protocol;

/**
 * The last level of an agent topic, {@code headroom/v1/<site>/<agent>/<kind>}. The wire name is
 * explicit so that renaming a constant can never change a topic.
 */
public enum TopicKind {
    /** Agent → controller: devices and metric aliases. */
    BIRTH("birth", Direction.FROM_AGENT),
    /** Agent → controller: the MQTT Will, or the agent's own goodbye. */
    DEATH("death", Direction.FROM_AGENT),
    /** Agent → controller: batched samples. */
    DATA("data", Direction.FROM_AGENT),
    /** Agent → controller: outcome of a command. */
    RESULT("result", Direction.FROM_AGENT),
    /** Controller → agent: a command for one of its devices. */
    CMD("cmd", Direction.TO_AGENT),
    /** Controller → agent: highest contiguous seq taken in, or a rebirth request. */
    ACK("ack", Direction.TO_AGENT);

    /** Who publishes on a topic of this kind. */
    public enum Direction {
        FROM_AGENT,
        TO_AGENT
    }

    private final String wireName;
    private final Direction direction;

    TopicKind(String wireName, Direction direction) {
        this.wireName = wireName;
        this.direction = direction;
    }

    /** The topic level as it appears on the wire, e.g. {@code "data"}. */
    public String wireName() {
        return wireName;
    }

    public Direction direction() {
        return direction;
    }

    /** Returns the kind for a topic level, or {@code null} when it is not one of ours. */
    static TopicKind fromWireName(String level) {
        for (TopicKind kind : values()) {
            if (kind.wireName.equals(level)) {
                return kind;
            }
        }
        return null;
    }
}
