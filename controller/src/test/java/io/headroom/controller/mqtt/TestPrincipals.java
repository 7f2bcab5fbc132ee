package io.headroom.controller.mqtt;

import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import java.util.List;

/** The principals tests use; hashes at the minimum iteration count so that tests stay fast. */
final class TestPrincipals {
    static final String SITE = "site-1";
    static final String AGENT = "rack-a01";
    static final String AGENT_PASSWORD = "agent-secret";
    static final String OTHER_AGENT = "rack-a02";
    static final String OTHER_AGENT_PASSWORD = "other-secret";
    static final String OBSERVER = "viewer";
    static final String OBSERVER_PASSWORD = "observer-secret";
    static final String OTHER_OBSERVER = "grafana";
    static final String OTHER_OBSERVER_PASSWORD = "grafana-secret";

    private static final CredentialStore STORE = CredentialStore.of(List.of(
            credential(AGENT, Role.AGENT, AGENT_PASSWORD),
            credential(OTHER_AGENT, Role.AGENT, OTHER_AGENT_PASSWORD),
            credential(OBSERVER, Role.OBSERVER, OBSERVER_PASSWORD),
            credential(OTHER_OBSERVER, Role.OBSERVER, OTHER_OBSERVER_PASSWORD)));

    private TestPrincipals() {}

    static CredentialStore store() {
        return STORE;
    }

    static Credential credential(String username, Role role, String password) {
        return new Credential(username, role, PasswordHash.create(password.toCharArray(), PasswordHash.MIN_ITERATIONS));
    }

    static Topic.AgentTopic topic(String agent, TopicKind kind) {
        return Topics.agent(SITE, agent, kind);
    }

    static String wire(String agent, TopicKind kind) {
        return topic(agent, kind).toWire();
    }

    static MqttEndpointConfig config(int maxPacketSize, int maxKeepAliveSeconds, int receiveMaximum) {
        return new MqttEndpointConfig(SITE, "127.0.0.1", 0, maxPacketSize, maxKeepAliveSeconds, receiveMaximum, 5, 100);
    }
}
