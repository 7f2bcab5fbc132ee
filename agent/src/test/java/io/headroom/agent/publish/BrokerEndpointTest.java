package io.headroom.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BrokerEndpointTest {

    @Test
    void plaintextSchemes_mapToTcp_default1883() {
        assertThat(BrokerEndpoint.of(URI.create("tcp://broker:1884")))
                .isEqualTo(new BrokerEndpoint("tcp://broker:1884", "broker", "broker:1884", false));
        assertThat(BrokerEndpoint.of(URI.create("mqtt://broker")))
                .isEqualTo(new BrokerEndpoint("tcp://broker:1883", "broker", "broker:1883", false));
    }

    @Test
    void tlsSchemes_mapToSsl_default8883() {
        assertThat(BrokerEndpoint.of(URI.create("ssl://broker")))
                .isEqualTo(new BrokerEndpoint("ssl://broker:8883", "broker", "broker:8883", true));
        assertThat(BrokerEndpoint.of(URI.create("mqtts://10.0.0.5:18883")))
                .isEqualTo(new BrokerEndpoint("ssl://10.0.0.5:18883", "10.0.0.5", "10.0.0.5:18883", true));
    }

    @Test
    void otherSchemes_refusedNotDowngraded() {
        for (String url : new String[] {"ws://broker:80/mqtt", "wss://broker/mqtt", "http://broker", "broker:1883"}) {
            assertThatThrownBy(() -> BrokerEndpoint.of(URI.create(url)))
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("url " + url + " must start with tcp://, mqtt://, ssl:// or mqtts://");
        }
    }
}
