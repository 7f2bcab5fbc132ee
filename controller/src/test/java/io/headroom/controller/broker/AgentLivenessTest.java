package io.headroom.controller.broker;

import static io.headroom.controller.ingest.WireFixtures.birth;
import static io.headroom.controller.ingest.WireFixtures.miner;
import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.transport.AgentMessageListener;
import io.headroom.protocol.Topic;
import io.headroom.protocol.TopicKind;
import io.headroom.protocol.Topics;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Death;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Birth and Death as the only connection events a broker gives: what ingest is told, in order. */
class AgentLivenessTest {

    private static final String SITE = "s1";

    /** What the listener saw, one line per call. */
    private final List<String> calls = new ArrayList<>();

    private final AgentLiveness liveness = new AgentLiveness(new AgentMessageListener() {
        @Override
        public void agentConnected(String agentId) {
            calls.add("connected " + agentId);
        }

        @Override
        public void agentMessage(Topic.AgentTopic topic, ByteBuffer payload) {
            calls.add(topic.kind().wireName() + " " + topic.agent());
        }

        @Override
        public void agentDisconnected(String agentId, boolean graceful) {
            calls.add("disconnected " + agentId + (graceful ? " graceful" : " lost"));
        }
    });

    private void deliver(String agent, TopicKind kind, byte[] payload) {
        liveness.deliver(
                Topics.agent(SITE, agent, kind), ByteBuffer.wrap(payload).asReadOnlyBuffer());
    }

    private static byte[] birthOf(String agent, long boot, long session) {
        return WireCodec.encode(birth(agent, boot, 1, session)
                .addDevices(miner("m-" + agent, 10))
                .build());
    }

    private static byte[] deathOf(String agent, long boot, long session, String reason) {
        return WireCodec.encode(Death.newBuilder()
                .setAgentId(agent)
                .setBootId(boot)
                .setSession(session)
                .setReason(reason)
                .build());
    }

    @Test
    void birth_connectsOnceBeforeTheBirth_andTheWillOfThatConnectionDisconnectsAfterTheDeath() {
        deliver("a", TopicKind.BIRTH, birthOf("a", 7, 1));
        deliver("a", TopicKind.DATA, new byte[] {1});
        deliver("a", TopicKind.BIRTH, birthOf("a", 7, 1)); // a re-birth asked for by ingest: still live
        assertThat(liveness.liveAgents()).isEqualTo(1);
        deliver("a", TopicKind.DEATH, deathOf("a", 7, 1, ""));

        assertThat(calls)
                .containsExactly("connected a", "birth a", "data a", "birth a", "death a", "disconnected a lost");
        assertThat(liveness.liveAgents()).isZero();
    }

    @Test
    void goodbye_isAGracefulDisconnect() {
        deliver("a", TopicKind.BIRTH, birthOf("a", 7, 1));
        deliver("a", TopicKind.DEATH, deathOf("a", 7, 1, "shutdown"));
        assertThat(calls).endsWith("death a", "disconnected a graceful");
    }

    @Test
    void lateWillOfTheOldConnection_afterTheNextBirth_keepsTheAgentLive() {
        deliver("a", TopicKind.BIRTH, birthOf("a", 7, 1));
        deliver("a", TopicKind.BIRTH, birthOf("a", 7, 2));
        deliver("a", TopicKind.DEATH, deathOf("a", 7, 1, ""));

        assertThat(calls).containsExactly("connected a", "birth a", "birth a", "death a");
        assertThat(liveness.liveAgents()).isEqualTo(1);
    }

    @Test
    void garbageBirthOrDeath_reachesIngestToCountButChangesNoLiveness() {
        byte[] garbage = "not protobuf at all".getBytes(StandardCharsets.UTF_8);
        deliver("a", TopicKind.BIRTH, garbage);
        deliver("a", TopicKind.BIRTH, new byte[0]);
        assertThat(liveness.liveAgents()).isZero();

        deliver("a", TopicKind.BIRTH, birthOf("a", 7, 1));
        deliver("a", TopicKind.DEATH, garbage);
        assertThat(liveness.liveAgents()).isEqualTo(1);
        assertThat(calls).containsExactly("birth a", "birth a", "connected a", "birth a", "death a");
    }

    @Test
    void birthNamingAnotherAgent_isNotLiveness() {
        deliver("a", TopicKind.BIRTH, birthOf("b", 7, 1));
        assertThat(calls).containsExactly("birth a");
        assertThat(liveness.liveAgents()).isZero();
    }

    @Test
    void deathWithoutBirth_disconnectsNothing() {
        deliver("a", TopicKind.DEATH, deathOf("a", 7, 1, ""));
        assertThat(calls).containsExactly("death a");
    }

    @Test
    void allLost_disconnectsEveryLiveAgentOnce() {
        deliver("a", TopicKind.BIRTH, birthOf("a", 7, 1));
        deliver("b", TopicKind.BIRTH, birthOf("b", 8, 1));
        calls.clear();
        liveness.allLost();
        liveness.allLost();
        assertThat(calls).containsExactlyInAnyOrder("disconnected a lost", "disconnected b lost");
        assertThat(liveness.liveAgents()).isZero();
    }
}
