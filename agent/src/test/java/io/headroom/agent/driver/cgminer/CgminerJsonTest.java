package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgminerJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode parsed(String raw) throws Exception {
        return JSON.readTree(CgminerJson.repair(raw));
    }

    @Test
    void repair_validJson_isUnchangedApartFromWhitespace() throws Exception {
        String raw = "{\"STATUS\":[{\"STATUS\":\"S\",\"Msg\":\"a, b: {c} [d]\"}],\"id\":1}";
        assertThat(CgminerJson.repair(raw)).isEqualTo(raw);
    }

    @Test
    void repair_trailingNul_isDropped() throws Exception {
        assertThat(CgminerJson.repair("{\"a\":1}\u0000")).isEqualTo("{\"a\":1}");
    }

    @Test
    void repair_trailingCommas_areDropped() throws Exception {
        assertThat(CgminerJson.repair("{\"a\":[1,2,],\"b\":{\"c\":3,},}")).isEqualTo("{\"a\":[1,2],\"b\":{\"c\":3}}");
    }

    @Test
    void repair_objectsWithoutComma_getOne() throws Exception {
        assertThat(parsed("{\"STATS\":[{\"a\":1}{\"b\":2}]}").path("STATS")).hasSize(2);
    }

    @Test
    void repair_commaOpeningAnArray_isDropped() throws Exception {
        assertThat(CgminerJson.repair("{\"STATS\":[,{\"a\":1}]}")).isEqualTo("{\"STATS\":[{\"a\":1}]}");
    }

    @Test
    void repair_leadingComma_isDropped() throws Exception {
        assertThat(CgminerJson.repair(",{\"a\":1}")).isEqualTo("{\"a\":1}");
    }

    @Test
    void repair_whatsminerDoubledQuote_becomesMissingComma() throws Exception {
        JsonNode node = parsed("{\"Power Mode\":\"Normal\"\"temp0\":55.5}");
        assertThat(node.path("Power Mode").asText()).isEqualTo("Normal");
        assertThat(node.path("temp0").asDouble()).isEqualTo(55.5);
    }

    @Test
    void repair_emptyStringBeforeKey_keepsTheEmptyString() throws Exception {
        JsonNode node = parsed("{\"x\":\"\"\"temp0\":5}");
        assertThat(node.path("x").asText()).isEmpty();
        assertThat(node.path("temp0").asInt()).isEqualTo(5);
    }

    @Test
    void repair_rawNewlineInString_isEscaped() throws Exception {
        assertThat(parsed("{\"a\":\"line1\nline2\"}").path("a").asText()).isEqualTo("line1\nline2");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"inf", "-inf", "nan", "NaN", "\"inf\"", "\"nan\"", "\"-Infinity\""})
    void repair_nonFiniteValue_becomesNull(String value) throws Exception {
        JsonNode node = parsed("{\"GHS 5s\":" + value + ",\"b\":1}");
        assertThat(node.path("GHS 5s").isNull()).isTrue();
        assertThat(node.path("b").asInt()).isEqualTo(1);
    }

    @Test
    void repair_wordsContainingInfInStrings_areKept() throws Exception {
        assertThat(parsed("{\"info\":\"inference\"}").path("info").asText()).isEqualTo("inference");
    }

    @Test
    void repair_truncatedInNumber_dropsThatFieldAndClosesBrackets() throws Exception {
        CgminerJson.Repaired repaired = CgminerJson.repairDetailed("{\"STATS\":[{\"fan1\":1920,\"fan2\":19");
        assertThat(repaired.truncated()).isTrue();
        assertThat(repaired.json()).isEqualTo("{\"STATS\":[{\"fan1\":1920}]}");
    }

    @Test
    void repair_truncatedInString_dropsThatField() throws Exception {
        assertThat(CgminerJson.repair("{\"a\":1,\"Msg\":\"Summa")).isEqualTo("{\"a\":1}");
    }

    @Test
    void repair_truncatedAfterKey_dropsTheKey() throws Exception {
        assertThat(CgminerJson.repair("{\"a\":{\"b\":true},\"c\":")).isEqualTo("{\"a\":{\"b\":true}}");
    }

    @Test
    void repair_truncatedAfterComma_closesCleanly() throws Exception {
        assertThat(CgminerJson.repair("[1,2,")).isEqualTo("[1,2]");
    }

    @Test
    void repair_completeReply_isNotTruncated() {
        assertThat(CgminerJson.repairDetailed("{\"a\":[1]}").truncated()).isFalse();
    }

    @Test
    void repair_garbage_staysInvalidForTheParser() {
        String repaired = CgminerJson.repair("HTTP/1.1 400 Bad Request");
        assertThat(repaired).doesNotStartWith("{");
    }

    @Test
    void repair_trailingGarbageAfterValue_isKeptForTheParserToReject() {
        assertThat(CgminerJson.repair("{\"a\":1} xyz")).endsWith("xyz");
    }
}
