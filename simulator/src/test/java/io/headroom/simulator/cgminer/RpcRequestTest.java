package io.headroom.simulator.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RpcRequestTest {
    @Test
    void json_withParameter_isParsed() throws Exception {
        assertThat(RpcRequest.parse("{\"command\":\"curtail\",\"parameter\":\"abc,sleep\"}"))
                .isEqualTo(new RpcRequest("curtail", "abc,sleep"));
    }

    @Test
    void json_numericParameter_becomesText() throws Exception {
        assertThat(RpcRequest.parse("{\"command\":\"devs\",\"parameter\":0}")).isEqualTo(new RpcRequest("devs", "0"));
    }

    @Test
    void plainText_splitsAtTheFirstBar() throws Exception {
        assertThat(RpcRequest.parse("curtail|abc,wakeup\n")).isEqualTo(new RpcRequest("curtail", "abc,wakeup"));
        assertThat(RpcRequest.parse("summary")).isEqualTo(new RpcRequest("summary", ""));
        assertThat(RpcRequest.parse("version|\0")).isEqualTo(new RpcRequest("version", ""));
    }

    @Test
    void malformedJson_isInvalidJsonCode23() {
        assertThatThrownBy(() -> RpcRequest.parse("{\"command\":"))
                .isInstanceOfSatisfying(RpcRequest.InvalidRequestException.class, e -> {
                    assertThat(e.code()).isEqualTo(23);
                    assertThat(e.getMessage()).isEqualTo("Invalid JSON");
                });
    }

    @Test
    void jsonWithoutCommand_isMissingCommandCode24() {
        assertThatThrownBy(() -> RpcRequest.parse("{\"cmd\":\"summary\"}"))
                .isInstanceOfSatisfying(
                        RpcRequest.InvalidRequestException.class,
                        e -> assertThat(e.code()).isEqualTo(24));
        assertThatThrownBy(() -> RpcRequest.parse("{\"command\":5}"))
                .isInstanceOfSatisfying(
                        RpcRequest.InvalidRequestException.class,
                        e -> assertThat(e.code()).isEqualTo(24));
    }
}
