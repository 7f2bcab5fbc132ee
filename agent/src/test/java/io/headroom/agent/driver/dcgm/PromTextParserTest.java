package io.headroom.agent.driver.dcgm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PromTextParserTest {

    private static final String ALPHABET = "m{}=\",\\ \n#0.1eE+-NaIfTYPEHLP_:x\t\r";

    private static PromSample only(String body) {
        PromExposition parsed = PromTextParser.parse(body);
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.samples()).hasSize(1);
        return parsed.samples().get(0);
    }

    private static List<String> errors(String body) {
        return PromTextParser.parse(body).errors();
    }

    @Test
    void parse_helpTypeAndSamples_readsEverything() {
        PromExposition parsed = PromTextParser.parse("# HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).\n"
                + "# TYPE DCGM_FI_DEV_GPU_TEMP gauge\n"
                + "DCGM_FI_DEV_GPU_TEMP{gpu=\"0\",UUID=\"GPU-1\"} 33\n"
                + "DCGM_FI_DEV_GPU_TEMP{gpu=\"1\",UUID=\"GPU-2\"} 61.5\n");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.type("DCGM_FI_DEV_GPU_TEMP")).isEqualTo("gauge");
        assertThat(parsed.help()).containsEntry("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).");
        assertThat(parsed.samples()).extracting(PromSample::value).containsExactly(33.0, 61.5);
        assertThat(parsed.samples().get(1).labels()).containsExactly(Map.entry("gpu", "1"), Map.entry("UUID", "GPU-2"));
        assertThat(parsed.samples().get(1).line()).isEqualTo(4);
    }

    @Test
    void parse_noLabelsAndNoType_isUntyped() {
        PromSample sample = only("up 1\n");

        assertThat(sample.name()).isEqualTo("up");
        assertThat(sample.labels()).isEmpty();
        assertThat(PromTextParser.parse("up 1\n").type("up")).isEqualTo("untyped");
    }

    @Test
    void parse_labelEscapes_areUnescaped() {
        PromSample sample = only("m{a=\"back\\\\slash\",b=\"say \\\"hi\\\"\",c=\"two\\nlines\"} 1\n");

        assertThat(sample.label("a")).isEqualTo("back\\slash");
        assertThat(sample.label("b")).isEqualTo("say \"hi\"");
        assertThat(sample.label("c")).isEqualTo("two\nlines");
    }

    @Test
    void parse_labelValueWithBracesCommasAndUnicode_isKept() {
        PromSample sample = only("m{model=\"NVIDIA H100 {80GB}, HBM3 µ\"} 1\n");

        assertThat(sample.label("model")).isEqualTo("NVIDIA H100 {80GB}, HBM3 µ");
    }

    @Test
    void parse_unknownLabelEscape_isAnError() {
        assertThat(errors("m{a=\"x\\ty\"} 1\n")).singleElement().asString().contains("unknown escape \\t");
    }

    @Test
    void parse_blanksBetweenLabelsAndTrailingComma_areAllowed() {
        PromSample sample = only("m{ gpu = \"0\" ,  UUID=\"GPU-1\", } 7\n");

        assertThat(sample.labels()).containsOnlyKeys("gpu", "UUID");
        assertThat(sample.value()).isEqualTo(7.0);
    }

    @Test
    void parse_emptyLabelSet_isAllowed() {
        assertThat(only("m{} 3\n").labels()).isEmpty();
    }

    @Test
    void parse_nanAndInfinities_inGoSpellings() {
        PromExposition parsed = PromTextParser.parse("a NaN\nb +Inf\nc -Inf\nd inf\ne nan\n");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.samples())
                .extracting(PromSample::value)
                .containsExactly(
                        Double.NaN,
                        Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY,
                        Double.POSITIVE_INFINITY,
                        Double.NaN);
    }

    @Test
    void parse_exponentsAndSigns() {
        PromExposition parsed = PromTextParser.parse("a 1e3\nb -2.5E-2\nc .5\nd +7\ne 9223372036854775794\n");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.samples())
                .extracting(PromSample::value)
                .containsExactly(1000.0, -0.025, 0.5, 7.0, 9.223372036854775794e18);
        assertThat(parsed.samples().get(4).text()).isEqualTo("9223372036854775794");
    }

    @Test
    void parse_javaOnlyNumberSpellings_areRefused() {
        for (String value : List.of("1d", "2f", "0x10", "0x1p3", "Infinityx", "1_000", "1,5", "--1", "")) {
            assertThat(errors("m " + value + "\n")).as(value).hasSize(1);
        }
    }

    @Test
    void parse_timestamp_isReadAsMilliseconds() {
        PromSample sample = only("m{a=\"b\"} 1.5 1700000000123\n");

        assertThat(sample.timestampMs()).hasValue(1700000000123L);
        assertThat(only("m -1 -5\n").timestampMs()).hasValue(-5L);
    }

    @Test
    void parse_badTimestamp_isAnError() {
        assertThat(errors("m 1 12.5\n")).singleElement().asString().contains("time stamp");
        assertThat(errors("m 1 99999999999999999999\n"))
                .singleElement()
                .asString()
                .contains("time stamp");
        assertThat(errors("m 1 2 3\n")).singleElement().asString().contains("unexpected '3'");
    }

    @Test
    void parse_tabsAndSurroundingBlanks_areIgnored() {
        PromSample sample = only("  \tm{a=\"b\"}\t\t42 \t\n");

        assertThat(sample.value()).isEqualTo(42.0);
    }

    @Test
    void parse_blankLinesAndPlainComments_areSkipped() {
        PromExposition parsed = PromTextParser.parse("\n# just a comment\n#\n   \nm 1\n\n");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.samples()).hasSize(1);
    }

    @Test
    void parse_helpEscapes_areUnescaped() {
        PromExposition parsed = PromTextParser.parse("# HELP m a \\\\ b\\nc \\x\n");

        assertThat(parsed.help()).containsEntry("m", "a \\ b\nc \\x");
    }

    @Test
    void parse_emptyHelp_isAllowed() {
        assertThat(PromTextParser.parse("# HELP m\n").help()).containsEntry("m", "");
    }

    @Test
    void parse_typeRules_areChecked() {
        assertThat(errors("# TYPE m gauge\n# TYPE m gauge\n"))
                .singleElement()
                .asString()
                .contains("second # TYPE");
        assertThat(errors("# TYPE m thermometer\n")).singleElement().asString().contains("unknown type");
        assertThat(errors("m 1\n# TYPE m gauge\n")).singleElement().asString().contains("after its first sample");
        assertThat(errors("# HELP m a\n# HELP m b\n"))
                .singleElement()
                .asString()
                .contains("second # HELP");
        assertThat(errors("# TYPE 9m gauge\n")).singleElement().asString().contains("not a metric name");
        assertThat(errors("# TYPE\n")).singleElement().asString().contains("needs a metric name");
    }

    @Test
    void parse_everyTypeIsKnown() {
        PromExposition parsed = PromTextParser.parse(
                "# TYPE a counter\n# TYPE b gauge\n# TYPE c histogram\n# TYPE d summary\n# TYPE e untyped\n");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.types()).hasSize(5);
    }

    @Test
    void parse_lastLineWithoutLineFeed_isCutShortAndDropped() {
        PromExposition parsed = PromTextParser.parse("a 1\nb 12");

        assertThat(parsed.samples()).extracting(PromSample::name).containsExactly("a");
        assertThat(parsed.errors())
                .singleElement()
                .asString()
                .startsWith("line 2:")
                .contains("cut short");
    }

    @Test
    void parse_carriageReturn_isAnError() {
        assertThat(errors("a 1\r\n")).singleElement().asString().contains("carriage return");
    }

    @Test
    void parse_malformedSamples_eachAnErrorWithItsLine_othersKept() {
        PromExposition parsed = PromTextParser.parse("good 1\n"
                + "9bad 1\n"
                + "m{a=\"1\" 2\n"
                + "m{a=1} 2\n"
                + "m{a=\"1\",a=\"2\"} 2\n"
                + "m{a=\"open} 2\n"
                + "m{9a=\"1\"} 2\n"
                + "m{a=\"1\"}2\n"
                + "nospace\n"
                + "also 2\n");

        assertThat(parsed.samples()).extracting(PromSample::name).containsExactly("good", "also");
        assertThat(parsed.errors()).hasSize(8);
        assertThat(parsed.errors().get(0)).startsWith("line 2:");
        assertThat(parsed.errors()).anySatisfy(e -> assertThat(e).contains("given twice"));
        assertThat(parsed.errors()).anySatisfy(e -> assertThat(e).contains("double quotes"));
    }

    @Test
    void parse_manyBadLines_keepsTwentyMessagesAndCountsTheRest() {
        PromExposition parsed = PromTextParser.parse("!\n".repeat(50));

        assertThat(parsed.errors()).hasSize(PromTextParser.MAX_ERRORS + 1);
        assertThat(parsed.errors().get(PromTextParser.MAX_ERRORS)).isEqualTo("… and 30 more bad lines");
    }

    @Test
    void parse_emptyBody_isEmpty() {
        PromExposition parsed = PromTextParser.parse("");

        assertThat(parsed.samples()).isEmpty();
        assertThat(parsed.errors()).isEmpty();
    }

    @Test
    void parse_randomBytes_neverThrows() {
        Random random = new Random(28);
        for (int i = 0; i < 2000; i++) {
            char[] chars = new char[random.nextInt(200)];
            for (int j = 0; j < chars.length; j++) {
                chars[j] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
            }
            PromExposition parsed = PromTextParser.parse(new String(chars));
            assertThat(parsed.samples().size() + parsed.errors().size()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void parse_dcgmReadmeSample_asPrinted() {
        PromExposition parsed = PromTextParser.parse(
                "DCGM_FI_DEV_MEMORY_TEMP{gpu=\"0\", UUID=\"GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52\"}"
                        + " 9223372036854775794\n");

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.samples().get(0).label("UUID")).isEqualTo("GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52");
    }
}
