package io.headroom.agent.driver.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.agent.driver.GoldenCasesTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;

/** Scaling, sentinels and states of one value; the instance → row mapping of a table. */
class SnmpMappingTest {

    private static final String NUMBER = "1.3.6.1.4.1.318.1.1.26.9.4.3.1.4";

    @Test
    void map_scalesRawValues_andDropsSentinels() {
        SnmpScalar power = new SnmpScalar("power", "", "1.3.6.1.4.1.318.1.1.26.4.3.1.5.1", 10, List.of(-1L), Map.of());

        assertThat(power.map(121)).hasValue(1210);
        assertThat(power.map(-1)).isEmpty();
        assertThat(power.map(0)).hasValue(0);
    }

    @Test
    void map_stateValues_byTheirStateNames_andUnknownOnesToNothing() {
        SnmpColumn state = new SnmpColumn(
                "outlet.state", "1.3.6.1.4.1.318.1.1.26.9.2.3.1.5", 1, List.of(), Map.of("1", "off", "2", "on"));

        assertThat(state.map(1)).hasValue(0);
        assertThat(state.map(2)).hasValue(1);
        assertThat(state.map(4)).isEmpty(); // outletUnknown: no guessed state
        assertThat(state.rawOf("off")).hasValue(1);
    }

    @Test
    void rowOf_findsTheRowWhoseNumberColumnHoldsTheInstance_notTheRowIndex() throws Exception {
        SnmprecAccess walk = new SnmprecAccess(Snmprec.read(
                GoldenCasesTest.casesRoot().resolve("apc/ap8641/quirk-rows-not-outlet-numbers/walk.snmprec")));
        SnmpTable metered = new SnmpTable(
                "outlets-metered",
                NUMBER,
                "",
                96,
                List.of(new SnmpColumn("power", "1.3.6.1.4.1.318.1.1.26.9.4.3.1.7", 1, List.of(), Map.of())));

        assertThat(SnmpRows.rowOf(walk, metered, "1")).contains(new OID("24"));
        assertThat(SnmpRows.rowOf(walk, metered, "24")).contains(new OID("1"));
        assertThat(SnmpRows.rowOf(walk, metered, "25")).isEmpty();
        assertThat(SnmpRows.rowOf(walk, metered, "x1")).isEmpty();
    }

    @Test
    void rowOf_rowIndexTable_takesTheNumberAfterThePrefixAsTheRow() throws Exception {
        SnmpTable phases = new SnmpTable(
                "phases",
                SnmpTable.ROW,
                "phase",
                12,
                List.of(new SnmpColumn("voltage", "1.3.6.1.4.1.318.1.1.26.6.3.1.6", 1, List.of(), Map.of())));

        assertThat(SnmpRows.rowOf(new SnmprecAccess(new java.util.TreeMap<>()), phases, "phase3"))
                .contains(new OID("3"));
    }

    @Test
    void control_resolvesRowIntoTheTemplate() {
        SnmpControl off = new SnmpControl("outlets", "1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.{row}", 2);

        assertThat(off.resolve(new OID("20"))).isEqualTo(new OID("1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.20"));
    }
}
