package io.headroom.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Kebab-case keys and the did-you-mean of unknown keys. */
class NamingTest {

    @Test
    void kebab_fromCamelCase() {
        assertThat(KeyNames.kebab("pollInterval")).isEqualTo("poll-interval");
        assertThat(KeyNames.kebab("maxKeepAlive")).isEqualTo("max-keep-alive");
        assertThat(KeyNames.kebab("caFile")).isEqualTo("ca-file");
        assertThat(KeyNames.kebab("url")).isEqualTo("url");
        assertThat(KeyNames.kebab("mqttURL")).isEqualTo("mqtt-url");
        assertThat(KeyNames.kebab("URLPath")).isEqualTo("url-path");
        assertThat(KeyNames.kebab("snmpV3")).isEqualTo("snmp-v3");
        assertThat(KeyNames.kebab("ipv6Address")).isEqualTo("ipv6-address");
    }

    @Test
    void enumConstant_inLowerKebabCase() {
        assertThat(KeyNames.enumConstant("GPU_SERVER")).isEqualTo("gpu-server");
        assertThat(KeyNames.enumConstant("V2C")).isEqualTo("v2c");
    }

    @Test
    void distance_countsSwapsAsOneEdit() {
        assertThat(DidYouMean.distance("timeout", "timeout")).isZero();
        assertThat(DidYouMean.distance("tiemout", "timeout")).isEqualTo(1);
        assertThat(DidYouMean.distance("timout", "timeout")).isEqualTo(1);
        assertThat(DidYouMean.distance("host", "port")).isEqualTo(2);
        assertThat(DidYouMean.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void suggest_closeKeysPrefixesAndCamelCase() {
        List<String> keys = List.of("poll-interval", "timeout", "host", "port", "connect-timeout-override");

        assertThat(DidYouMean.suggest("pol-interval", keys)).contains("poll-interval");
        assertThat(DidYouMean.suggest("pollInterval", keys)).contains("poll-interval");
        assertThat(DidYouMean.suggest("POLL-INTERVAL", keys)).contains("poll-interval");
        assertThat(DidYouMean.suggest("poll", keys)).contains("poll-interval");
        assertThat(DidYouMean.suggest("prot", keys)).contains("port");
        assertThat(DidYouMean.suggest("conect-timeut-overide", keys)).contains("connect-timeout-override");
        assertThat(DidYouMean.suggest("colour", keys)).isEmpty();
        assertThat(DidYouMean.suggest("xy", List.of("abcdef"))).isEmpty();
    }

    @Test
    void suggest_prefersTheClosest() {
        assertThat(DidYouMean.suggest("time", List.of("timeout", "tim"))).contains("tim");
    }
}
