package io.headroom.agent.driver.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.AgentConfig;
import io.headroom.agent.config.AgentConfigLoader;
import io.headroom.agent.driver.BuiltInDrivers;
import io.headroom.config.ConfigException;
import io.headroom.config.ConfigProblem;
import io.headroom.profiles.ProfileCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** compile() of modbus profiles and the modbus: block of agent.yaml: clear problems at the key at fault. */
class ModbusDriverFactoryTest {

    private static final String HEAD = """
            id: test/meter
            vendor: test
            description: a test meter
            driver: modbus
            kind: meter
            nameplate: {power-watts: 10}
            """;

    private static List<String> profileProblems(String yaml) {
        try {
            BuiltInDrivers.registry().compile(ProfileCatalog.load(Map.of("profiles/test/meter.yaml", yaml)));
            return List.of();
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
    }

    private static AgentConfig agent(String devices) throws ConfigException {
        String yaml = """
                agent-id: a1
                site: s1
                mqtt: {url: tcp://127.0.0.1:1883, password: {file: p}}
                buses:
                  - {id: rs485-a, port: /dev/ttyUSB0, baud: 9600}
                devices:
                """ + devices;
        return AgentConfigLoader.parse(
                "agent.yaml", yaml, Path.of("/etc/headroom"), TestDevices.DRIVERS, TestDevices.PROFILES);
    }

    private static List<String> agentProblems(String devices) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> agent(devices));
        assertThat(e).as("expected the file to be refused").isNotNull();
        return e.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void compile_everyBuiltInModbusProfile_hasNoProblems() {
        for (String id : List.of(
                "eastron/sdm630",
                "schneider/iem3000",
                "abb/b2x",
                "generic/modbus-temperature-sensor",
                "generic/modbus-fan-contactor")) {
            assertThat(BuiltInDrivers.profiles().compiled(id)).as(id).isInstanceOf(ModbusProfile.class);
        }
        ModbusProfile sdm = (ModbusProfile) BuiltInDrivers.profiles().compiled("eastron/sdm630");
        assertThat(sdm.plan().blocks()).hasSize(2);
    }

    @Test
    void compile_badPoints_areReportedAtTheirKeys() {
        List<String> problems = profileProblems(HEAD + """
                points:
                  reads:
                    - {metric: power, table: input, address: 0x10000, type: float32}
                    - {metric: power, instance: a, table: inputs, address: 0}
                    - {metric: voltage, table: coil, address: 0, type: uint16}
                    - {metric: current, table: input, address: 0, type: float32, order: abdc}
                """);

        assertThat(problems)
                .anySatisfy(p -> assertThat(p).contains("reads[0].address").contains("not a register address"));
        assertThat(problems)
                .anySatisfy(
                        p -> assertThat(p).contains("reads[1].table").contains("must be one of coil, discrete-input"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).contains("reads[2].type").contains("does not fit table coil"));
        assertThat(problems)
                .anySatisfy(p ->
                        assertThat(p).contains("reads[3].order").contains("must be one of abcd, cdab, badc, dcba"));
    }

    @Test
    void compile_writePointWithoutWrites_andWritesWithoutCapability_areRefused() {
        List<String> missing = profileProblems(HEAD + """
                capabilities:
                  write-point: {unit: "1", range: {min: 0, max: 1}, instances: [fan1]}
                points:
                  reads: [{metric: power, table: holding, address: 0}]
                """);
        List<String> spare = profileProblems(HEAD + """
                points:
                  reads: [{metric: power, table: holding, address: 0}]
                  writes: {fan1: {table: coil, address: 0}}
                """);
        List<String> readOnly = profileProblems(HEAD + """
                points:
                  reads: [{metric: power, table: holding, address: 0}]
                  writes: {fan1: {table: input, address: 0}}
                """);
        List<String> tooBig = profileProblems(HEAD + """
                capabilities:
                  write-point: {unit: "1", range: {min: 0, max: 70000}, instances: [fan1]}
                points:
                  reads: [{metric: power, table: holding, address: 0}]
                  writes: {fan1: {table: holding, address: 0}}
                """);
        List<String> otherVerb = profileProblems(HEAD + """
                capabilities:
                  reboot: {}
                points:
                  reads: [{metric: power, table: holding, address: 0}]
                """);

        assertThat(missing)
                .anySatisfy(p -> assertThat(p).contains("write-point instance fan1 has no entry under writes"));
        assertThat(spare).anySatisfy(p -> assertThat(p).contains("writes: fan1 is not an instance of a write-point"));
        assertThat(readOnly)
                .anySatisfy(p -> assertThat(p).contains("writes.fan1.table").contains("read-only"));
        assertThat(tooBig).anySatisfy(p -> assertThat(p).contains("70000").contains("does not fit a uint16"));
        assertThat(otherVerb).anySatisfy(p -> assertThat(p).contains("no way to reboot"));
    }

    @Test
    void agentYaml_modbusBlocks_bindWithTheirLanes() throws Exception {
        AgentConfig config = agent("""
                  - {id: m1, profile: eastron/sdm630, modbus: {bus: rs485-a, unit: 3}}
                  - {id: m2, profile: eastron/sdm630, modbus: {tcp: "10.0.0.5", unit: 1, retries: 2}}
                  - {id: m3, profile: abb/b2x, modbus: {rtu-over-tcp: "10.0.0.6:4001", unit: 7}}
                """);

        ModbusSettings m1 = (ModbusSettings) config.devices().get(0).settings();
        ModbusSettings m2 = (ModbusSettings) config.devices().get(1).settings();
        assertThat(m1.unit()).isEqualTo(3);
        assertThat(m1.retries()).isEqualTo(1);
        assertThat(m2.retries()).isEqualTo(2);
        assertThat(TestDevices.DRIVERS.lane(config.devices().get(0))).isEqualTo("serial:rs485-a");
        assertThat(TestDevices.DRIVERS.lane(config.devices().get(1))).isEqualTo("modbus-tcp:10.0.0.5:502");
        assertThat(TestDevices.DRIVERS.lane(config.devices().get(2))).isEqualTo("modbus-rtu-over-tcp:10.0.0.6:4001");
    }

    @Test
    void agentYaml_badModbusBlocks_areRefusedClearly() {
        List<String> problems = agentProblems("""
                  - {id: m1, profile: eastron/sdm630, modbus: {bus: rs485-a, tcp: "10.0.0.5"}}
                  - {id: m2, profile: eastron/sdm630, modbus: {unit: 1}}
                  - {id: m3, profile: eastron/sdm630, modbus: {bus: rs485-b}}
                  - {id: m4, profile: eastron/sdm630, modbus: {bus: rs485-a, unit: 0}}
                  - {id: m5, profile: eastron/sdm630, modbus: {tcp: "10.0.0.5:http"}}
                  - {id: m6, profile: eastron/sdm630, modbus: {tcp: "10.0.0.5", unti: 2}}
                  - {id: m7, profile: eastron/sdm630, modbus: {tcp: "10.0.0.5", retries: 9}}
                """);

        assertThat(problems)
                .anySatisfy(p -> assertThat(p).contains("devices[0].modbus").contains("exactly one of"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).contains("devices[1].modbus").contains("exactly one of"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("bus 'rs485-b' is not declared under buses"));
        assertThat(problems)
                .anySatisfy(
                        p -> assertThat(p).contains("devices[3].modbus.unit").contains("1-247"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).contains("devices[4].modbus.tcp").contains("'http'"));
        assertThat(problems)
                .anySatisfy(
                        p -> assertThat(p).contains("devices[5].modbus.unti").contains("unit"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("devices[6].modbus.retries"));
    }
}
