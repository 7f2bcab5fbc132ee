package io.headroom.agent.driver.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.TestDevices;
import io.headroom.agent.config.DeviceConfig;
import io.headroom.agent.driver.Driver;
import io.headroom.agent.driver.DriverContext;
import io.headroom.agent.driver.GoldenCasesTest;
import io.headroom.agent.driver.PollResult;
import io.headroom.agent.rawreply.RawReply;
import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.config.ConfigNode;
import io.headroom.config.SecretRef;
import io.headroom.protocol.wire.DeviceHealth;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/**
 * The SNMP client keeps a poll's PDUs as text: against a real SNMP agent (SNMP4J-agent) serving an
 * APC walk on loopback, each request's type and OIDs and each answer as {@code OID = type: value}
 * lines whose values are the walk's.
 */
@Timeout(60)
class SnmpRawReplyIT {

    private static final Pattern BINDING = Pattern.compile("(?m)^([0-9.]+) = ([A-Za-z0-9 ]+): (.*)$");

    private final DriverContext context = new DriverContext(
            Clock.systemUTC(),
            io.headroom.agent.time.MonotonicClock.system(),
            new SimpleMeterRegistry(),
            ref -> "public".toCharArray(),
            Map.of());
    private SnmpTestAgent agent;
    private Driver driver;

    @AfterEach
    void close() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (agent != null) {
            agent.close();
        }
        context.close();
    }

    @Test
    void poll_keepsEachPdu_asOidTypeValueLines_ofTheAgentsAnswer() throws Exception {
        NavigableMap<OID, Variable> walk =
                Snmprec.read(GoldenCasesTest.casesRoot().resolve("apc/ap8641/aos-6.7.2/walk.snmprec"));
        agent = new SnmpTestAgent(walk, "public");
        SnmpSettings settings = new SnmpSettings(
                "127.0.0.1",
                agent.port(),
                SnmpVersion.V2C,
                Optional.of(new SecretRef.Credential("community")),
                Optional.empty(),
                1);
        DeviceConfig device = new DeviceConfig(
                "pdu-1",
                "apc/rpdu2",
                SnmpDriverFactory.NAME,
                Duration.ofSeconds(10),
                Duration.ofMillis(800),
                Optional.empty(),
                settings,
                new ConfigNode.Origin("test.yaml", 1, "devices[0]"));
        driver = TestDevices.DRIVERS.create(device, TestDevices.PROFILES, context);
        RawReplyRecorder recorder = context.rawReplies().recorder("pdu-1");

        recorder.pollStarted();
        PollResult result = driver.poll();
        recorder.pollEnded();

        assertThat(result.health()).as(result.message()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        RawReply raw = recorder.last().orElseThrow();
        assertThat(raw.request().split("\n"))
                .allSatisfy(line -> assertThat(line).matches("(GET|GETBULK\\(max \\d+\\)) [0-9. ]+"));
        Matcher lines = BINDING.matcher(raw.reply());
        int checked = 0;
        while (lines.find()) {
            Variable served = walk.get(new OID(lines.group(1)));
            if (served != null) {
                assertThat(lines.group(3)).as(lines.group()).isEqualTo(served.toString());
                assertThat(lines.group(2)).as(lines.group()).isEqualTo(served.getSyntaxString());
                checked++;
            }
        }
        assertThat(checked).as(raw.reply()).isGreaterThan(10);
        assertThat(raw.truncated()).isFalse();
    }
}
