package io.headroom.agent.driver.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.driver.PollResult;
import io.headroom.agent.driver.Reading;
import io.headroom.protocol.wire.DeviceHealth;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/** Decimal digits read from the device, index suffixes and column conditions of a table's rows. */
class SnmpRowSelectionTest {

    private static final String VALUE = "1.3.6.1.4.1.99999.1.4";
    private static final String DIGITS = "1.3.6.1.4.1.99999.1.3";
    private static final String TYPE = "1.3.6.1.4.1.99999.1.1";

    @Test
    void map_withDecimals_shiftsAfterScaling_negativeCountsDoNotShift_andSentinelsStayGaps() {
        SnmpColumn column =
                new SnmpColumn("voltage", VALUE, 1, List.of(-1L), Map.of(), Optional.of(DIGITS), List.of(), List.of());

        assertThat(column.map(1234, 2)).hasValue(12.34);
        assertThat(column.map(1234, 0)).hasValue(1234);
        assertThat(column.map(1234, -3)).hasValue(1234);
        assertThat(column.map(-1, 2)).isEmpty();
    }

    @Test
    void indexSuffix_keepsTheRowsOfOneSensorType_andTheRestOfTheIndexIsTheInstance() throws Exception {
        // Rows {outlet, type}: type 5 is power, type 1 current; digits per row.
        TreeMap<OID, Variable> walk = new TreeMap<>();
        put(walk, VALUE + ".1.1", new Gauge32(512));
        put(walk, VALUE + ".1.5", new Gauge32(1100));
        put(walk, VALUE + ".2.1", new Gauge32(7));
        put(walk, VALUE + ".2.5", new Gauge32(300));
        put(walk, DIGITS + ".1.1", new Gauge32(3));
        put(walk, DIGITS + ".1.5", new Gauge32(1));
        put(walk, DIGITS + ".2.1", new Gauge32(2));
        put(walk, DIGITS + ".2.5", new Gauge32(0));
        SnmpTable outlets = new SnmpTable(
                "outlets",
                SnmpTable.ROW,
                "",
                16,
                List.of(
                        new SnmpColumn(
                                "power", VALUE, 1, List.of(), Map.of(), Optional.of(DIGITS), List.of(5L), List.of()),
                        new SnmpColumn(
                                "current",
                                VALUE,
                                1,
                                List.of(),
                                Map.of(),
                                Optional.of(DIGITS),
                                List.of(1L),
                                List.of())));

        PollResult result = poll(walk, outlets);

        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_ONLINE);
        assertThat(values(result))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("power[1]", 110.0, "power[2]", 300.0, "current[1]", 0.512, "current[2]", 0.07));
    }

    @Test
    void when_keepsOnlyRowsWhoseOtherColumnMatches_andTooManyDigitsAreNamed() throws Exception {
        TreeMap<OID, Variable> walk = new TreeMap<>();
        put(walk, TYPE + ".10", new Integer32(8)); // celsius
        put(walk, TYPE + ".11", new Integer32(4)); // voltsDC: not a temperature
        put(walk, TYPE + ".12", new Integer32(8));
        put(walk, DIGITS + ".10", new Integer32(1));
        put(walk, DIGITS + ".11", new Integer32(1));
        put(walk, DIGITS + ".12", new Integer32(12)); // more digits than any MIB allows
        put(walk, VALUE + ".10", new Integer32(282));
        put(walk, VALUE + ".11", new Integer32(120));
        put(walk, VALUE + ".12", new Integer32(300));
        SnmpTable sensors = new SnmpTable(
                "sensors",
                SnmpTable.ROW,
                "",
                16,
                List.of(new SnmpColumn(
                        "temperature.sensor",
                        VALUE,
                        1,
                        List.of(),
                        Map.of(),
                        Optional.of(DIGITS),
                        List.of(),
                        List.of(new SnmpCondition(TYPE, List.of(8L))))));

        PollResult result = poll(walk, sensors);

        assertThat(values(result)).containsExactlyEntriesOf(Map.of("temperature.sensor[10]", 28.2));
        assertThat(result.health()).isEqualTo(DeviceHealth.DEVICE_HEALTH_DEGRADED);
        assertThat(result.reason()).isEqualTo(SnmpPoll.BAD_VALUE);
        assertThat(result.message()).contains(DIGITS + ".12");
    }

    @Test
    void when_conditionColumnMissing_isNamed_andGivesNoReadings() throws Exception {
        TreeMap<OID, Variable> walk = new TreeMap<>();
        put(walk, VALUE + ".10", new Integer32(282));
        SnmpTable sensors = new SnmpTable(
                "sensors",
                SnmpTable.ROW,
                "",
                16,
                List.of(new SnmpColumn(
                        "temperature.sensor",
                        VALUE,
                        1,
                        List.of(),
                        Map.of(),
                        Optional.empty(),
                        List.of(),
                        List.of(new SnmpCondition(TYPE, List.of(8L))))));

        PollResult result = poll(walk, sensors);

        assertThat(result.readings()).isEmpty();
        assertThat(result.reason()).isEqualTo(SnmpPoll.NO_SUCH_OBJECT);
        assertThat(result.message()).contains(TYPE);
    }

    private static void put(TreeMap<OID, Variable> walk, String oid, Variable value) {
        walk.put(new OID(oid), value);
    }

    private static PollResult poll(TreeMap<OID, Variable> walk, SnmpTable table) throws InterruptedException {
        SnmpPoints points = new SnmpPoints(Optional.empty(), 24, List.of(), List.of(table), Map.of());
        SnmpProfile profile =
                new SnmpProfile(points, List.of(new SnmpMatch(Optional.of("1.3.6.1.4.1.99999"), Optional.empty())));
        return SnmpPoll.run(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), profile, new SnmprecAccess(walk), false);
    }

    private static Map<String, Double> values(PollResult result) {
        return result.readings().stream()
                .collect(Collectors.toMap(
                        r -> r.instance().isEmpty() ? r.metric() : r.metric() + "[" + r.instance() + "]",
                        Reading::value));
    }
}
