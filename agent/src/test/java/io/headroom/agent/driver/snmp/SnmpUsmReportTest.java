package io.headroom.agent.driver.snmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snmp4j.smi.OID;

class SnmpUsmReportTest {

    @ParameterizedTest
    @CsvSource({
        "1.3.6.1.6.3.15.1.1.1.0, usm-unsupported-security-level, usmStatsUnsupportedSecLevels",
        "1.3.6.1.6.3.15.1.1.2.0, usm-not-in-time-window, usmStatsNotInTimeWindows",
        "1.3.6.1.6.3.15.1.1.3.0, usm-unknown-user, usmStatsUnknownUserNames",
        "1.3.6.1.6.3.15.1.1.4.0, usm-unknown-engine-id, usmStatsUnknownEngineIDs",
        "1.3.6.1.6.3.15.1.1.5.0, usm-wrong-digest, usmStatsWrongDigests",
        "1.3.6.1.6.3.15.1.1.6.0, usm-decryption-error, usmStatsDecryptionErrors",
    })
    void eachUsmStatsReport_hasItsOwnReasonAndNamesTheCounter(String oid, String reason, String counter) {
        SnmpUsmReport report = SnmpUsmReport.of(new OID(oid)).orElseThrow();

        assertThat(report.reason()).isEqualTo(reason);
        assertThat(report.explanation()).contains(counter);
    }

    @Test
    void reasons_areDistinct() {
        assertThat(new HashSet<>(Arrays.stream(SnmpUsmReport.values())
                        .map(SnmpUsmReport::reason)
                        .toList()))
                .hasSize(SnmpUsmReport.values().length);
    }

    @Test
    void anotherReport_isNoUsmReport() {
        assertThat(SnmpUsmReport.of(new OID("1.3.6.1.6.3.11.2.1.3.0"))).isEmpty(); // snmpUnknownPDUHandlers
    }

    @Test
    void onlyDiscoveryReports_areLeftToSnmp4j() {
        assertThat(Arrays.stream(SnmpUsmReport.values()).filter(SnmpUsmReport::resentBySnmp4j))
                .containsExactlyInAnyOrder(SnmpUsmReport.UNKNOWN_ENGINE_ID, SnmpUsmReport.NOT_IN_TIME_WINDOW);
    }

    @ParameterizedTest
    @CsvSource({
        "6, noAccess (6)",
        "10, wrongValue (10)",
        "16, authorizationError (16)",
        "17, notWritable (17)",
        "18, inconsistentName (18)",
        "19, error status 19",
        "-1, error status -1"
    })
    void errorStatus_isNamedAsRfc3416SpellsIt(int status, String name) {
        assertThat(SnmpErrorStatus.name(status)).isEqualTo(name);
    }
}
