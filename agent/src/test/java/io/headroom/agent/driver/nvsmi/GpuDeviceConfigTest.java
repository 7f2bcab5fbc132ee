package io.headroom.agent.driver.nvsmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.config.AgentConfigLoader;
import io.headroom.agent.driver.dcgm.DcgmSettings;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The GPU devices' blocks in agent.yaml, through the agent's real config loader. */
class GpuDeviceConfigTest {

    private static final String HEAD = """
            agent-id: a1
            site: s1
            mqtt: {url: tcp://127.0.0.1:1883, password: {file: p}}
            devices:
            """;

    private static AgentConfig parse(String devices) throws ConfigException {
        return AgentConfigLoader.parse(
                "agent.yaml", HEAD + devices, Path.of("/etc/headroom"), TestDevices.DRIVERS, TestDevices.PROFILES);
    }

    @Test
    void gpuBlocks_bindWithTheirDefaults() throws Exception {
        AgentConfig config = parse("""
                  - id: gpu-local
                    profile: nvidia/nvidia-smi
                    nvidia-smi: {}
                  - id: gpu-remote
                    profile: nvidia/dcgm-exporter
                    dcgm: {host: 10.2.0.11}
                """);

        assertThat(config.devices().get(0).settings()).isEqualTo(new NvsmiSettings("nvidia-smi"));
        assertThat(config.devices().get(1).settings()).isEqualTo(new DcgmSettings("10.2.0.11", Optional.empty()));
    }

    @Test
    void badGpuBlocks_areRefusedAtTheirKeys() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                  - id: gpu-local
                    profile: nvidia/nvidia-smi
                    nvidia-smi: {executable: ""}
                  - id: gpu-remote
                    profile: nvidia/dcgm-exporter
                    dcgm: {host: "http://10.2.0.11:9400/metrics"}
                """));

        assertThat(e).isNotNull();
        List<String> problems =
                e.problems().stream().map(ConfigProblem::toString).toList();
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).contains("devices[0].nvidia-smi.executable: must not be empty"))
                .anySatisfy(p -> assertThat(p).contains("devices[1].dcgm.host:").contains("not a URL"));
    }
}
