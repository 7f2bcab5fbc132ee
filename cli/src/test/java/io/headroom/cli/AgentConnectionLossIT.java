package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headroom.controller.store.DeviceState;
import io.headroom.controller.store.DeviceView;
import io.headroom.testkit.CuttableTcpProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's TCP connection is cut (no DISCONNECT, as when a cable is pulled): the controller marks
 * every device of that agent STALE at once and leaves the other agent's devices alone; the agent
 * reconnects on its own and its devices come back ONLINE.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AgentConnectionLossIT {

    @TempDir
    Path workDir;

    @Test
    void connectionCut_devicesStaleAtOnce_thenOnlineAfterReconnect() throws Exception {
        CuttableTcpProxy[] proxy = new CuttableTcpProxy[1];
        DemoOptions options = new DemoOptions("loss", 4, 2, "127.0.0.1", 0, 0, 3L, Duration.ofSeconds(1), workDir);
        // Only the first agent (rack-1: miner-001, miner-002) goes through the proxy.
        int[] routed = {0};
        try (DemoSite site = DemoSite.start(options, endpoint -> {
            if (routed[0]++ > 0) {
                return endpoint;
            }
            try {
                proxy[0] = new CuttableTcpProxy(endpoint);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new java.net.InetSocketAddress("127.0.0.1", proxy[0].port());
        })) {
            List<String> rack1 = List.of(DemoSite.minerId(0), DemoSite.minerId(1));
            List<String> rack2 = List.of(DemoSite.minerId(2), DemoSite.minerId(3));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                rack1.forEach(id -> assertThat(status(site, id)).isEqualTo(DeviceState.ONLINE));
                rack2.forEach(id -> assertThat(status(site, id)).isEqualTo(DeviceState.ONLINE));
            });

            Instant cut = Instant.now();
            proxy[0].cutAll();

            // The endpoint sees the TCP connection end without DISCONNECT and publishes the Will:
            // well inside the keep-alive (10 s in the demo), not after it.
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() ->
                            rack1.forEach(id -> assertThat(status(site, id)).isEqualTo(DeviceState.STALE)));
            assertThat(Duration.between(cut, Instant.now())).isLessThan(Duration.ofSeconds(5));
            rack2.forEach(id -> assertThat(status(site, id)).isEqualTo(DeviceState.ONLINE));
            DeviceView stale = site.controller().store().device(rack1.get(0)).orElseThrow();
            assertThat(stale.metric("power"))
                    .as("last value kept, with its old time")
                    .isNotNull();

            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() ->
                            rack1.forEach(id -> assertThat(status(site, id)).isEqualTo(DeviceState.ONLINE)));
            assertThat(proxy[0].acceptedConnections()).isGreaterThanOrEqualTo(2);
        } finally {
            if (proxy[0] != null) {
                proxy[0].close();
            }
        }
    }

    private static DeviceState status(DemoSite site, String id) {
        return site.controller().store().device(id).map(DeviceView::status).orElse(null);
    }
}
