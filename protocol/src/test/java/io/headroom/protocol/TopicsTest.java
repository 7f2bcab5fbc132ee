package io.headroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @ParameterizedTest
    @EnumSource(TopicKind.class)
    void agentTopic_roundTripsThroughParse(TopicKind kind) throws MalformedTopicException {
        Topic.AgentTopic topic = Topics.agent("site-1", "rack.a_1", kind);

        assertThat(topic.toWire()).isEqualTo("headroom/v1/site-1/rack.a_1/" + kind.wireName());
        assertThat(Topics.parse(topic.toWire())).isEqualTo(topic);
    }

    @Test
    void controllerStateTopic_roundTripsThroughParse() throws MalformedTopicException {
        Topic.ControllerStateTopic topic = Topics.controllerState("demo");

        assertThat(topic.toWire()).isEqualTo("headroom/v1/demo/controller/state");
        assertThat(Topics.parse("headroom/v1/demo/controller/state")).isEqualTo(topic);
    }

    @Test
    void gridSignalTopic_roundTripsThroughParse_andLeavesAnAgentNamedGridItsOwnTopics() throws MalformedTopicException {
        Topic.GridSignalTopic topic = Topics.gridSignal("demo");

        assertThat(topic.toWire()).isEqualTo("headroom/v1/demo/grid/signal");
        assertThat(Topics.parse("headroom/v1/demo/grid/signal")).isEqualTo(topic);
        assertThat(Topics.parse("headroom/v1/demo/grid/data")).isEqualTo(Topics.agent("demo", "grid", TopicKind.DATA));
    }

    @Test
    void marketPriceTopic_roundTripsThroughParse_andLeavesAnAgentNamedMarketItsOwnTopics()
            throws MalformedTopicException {
        Topic.MarketPriceTopic topic = Topics.marketPrice("demo", "energy-rt");

        assertThat(topic.toWire()).isEqualTo("headroom/v1/demo/market/energy-rt");
        assertThat(Topics.parse("headroom/v1/demo/market/energy-rt")).isEqualTo(topic);
        assertThat(Topics.parse("headroom/v1/demo/market/data"))
                .isEqualTo(Topics.agent("demo", "market", TopicKind.DATA));
        assertThatThrownBy(() -> Topics.parse("headroom/v1/demo/market/energy rt"))
                .isInstanceOf(MalformedTopicException.class);
        assertThatThrownBy(() -> Topics.marketPrice("demo", "a+b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input");
    }

    @Test
    void allAgentsFilter_usesSingleLevelWildcard() {
        assertThat(Topics.allAgentsFilter("demo", TopicKind.DATA)).isEqualTo("headroom/v1/demo/+/data");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "headroom/v1",
                "headroom/v1/",
                "headroom/v2/demo/a/data",
                "headroom/v1/demo/a",
                "headroom/v1/demo/a/data/extra",
                "headroom/v1/demo/a/telemetry",
                "headroom/v1/demo//data",
                "headroom/v1//a/data",
                "headroom/v1/demo/a/",
                "headroom/v1/de+mo/a/data",
                "headroom/v1/demo/#/data",
                "headroom/v1/demo/+/data",
                "headroom/v1/demo/controller/data",
                "headroom/v1/demo/controller/stat",
                "headroom/v1/demo/grid/signals",
                "headroom/v1/demo/grid/signal/x",
                "/headroom/v1/demo/a/data",
            })
    void parse_malformedTopic_throwsTypedException(String topic) {
        assertThatThrownBy(() -> Topics.parse(topic))
                .isInstanceOf(MalformedTopicException.class)
                .hasMessageContaining(topic);
    }

    @Test
    void parse_null_throwsTypedException() {
        assertThatThrownBy(() -> Topics.parse(null)).isInstanceOf(MalformedTopicException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a+b", "a/b", "a#", "with space", "ünïcode"})
    void agent_invalidId_isRejectedWithFieldName(String id) {
        assertThatThrownBy(() -> Topics.agent("demo", id, TopicKind.DATA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("agent: ");
        assertThatThrownBy(() -> Topics.agent(id, "agent", TopicKind.DATA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("site: ");
    }

    @Test
    void agent_reservedControllerId_isRejected() {
        assertThatThrownBy(() -> Topics.agent("demo", "controller", TopicKind.DATA))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved");
    }

    @Test
    void idProblem_tooLong_isReported() {
        assertThat(Topics.idProblem("a".repeat(64))).isNull();
        assertThat(Topics.idProblem("a".repeat(65))).contains("at most 64");
    }
}
