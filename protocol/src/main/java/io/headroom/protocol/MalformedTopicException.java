package io.headroom.protocol;

/** A topic string that is not a Headroom v1 topic. Checked: every caller must count and drop. */
public final class MalformedTopicException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public MalformedTopicException(String topic, String problem) {
        super("malformed topic '" + topic + "': " + problem);
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }
}
