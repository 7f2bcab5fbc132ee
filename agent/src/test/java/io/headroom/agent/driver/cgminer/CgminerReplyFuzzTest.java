package io.headroom.agent.driver.cgminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz-style regression test of the miner JSON path ({@link CgminerJson} repair, then the strict
 * parse in {@link CgminerReply#parse}): for every reply in the checked-in corpus
 * ({@code src/test/resources/fuzz/cgminer}) and a fixed set of seeded mutations of it, the only
 * way to fail is a {@link CgminerException} (which the driver turns into an OFFLINE poll with a
 * reason). Any other exception or error is a bug. It runs in {@code verify}; a longer run is
 * {@code -Dheadroom.fuzz.mutations=100000} (see docs/outbox.md, "Fuzzing").
 */
class CgminerReplyFuzzTest {

    private static final Path CORPUS = Path.of("src/test/resources/fuzz/cgminer");
    private static final int MUTATIONS = Integer.getInteger("headroom.fuzz.mutations", 300);
    private static final String[] TOKENS = {
        "{", "}", "[", "]", ",", ":", "\"", "\u0000", "inf", "-nan", "\\", "\\u", "1e999", "\n", "null", "\"STATUS\""
    };

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            List<Path> seeds =
                    files.filter(f -> f.toString().endsWith(".txt")).sorted().toList();
            assertThat(seeds).as("the corpus is checked in").hasSizeGreaterThanOrEqualTo(10);
            return seeds.stream();
        }
    }

    private static void parsesOrRefuses(String raw) {
        assertThatCode(() -> {
                    try {
                        CgminerReply reply = CgminerReply.parse("summary", raw);
                        assertThat(reply.root()).isNotNull();
                    } catch (CgminerException refused) {
                        assertThat(refused.getMessage()).startsWith("summary: ");
                    }
                })
                .as("input %s", abbreviate(raw))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void seed_parsesOrIsRefusedAsABadResponse_neverAnythingElse(Path seed) throws IOException {
        parsesOrRefuses(Files.readString(seed, StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void seededMutationsOfTheSeed_parseOrAreRefused_neverAnythingElse(Path seed) throws IOException {
        String original = Files.readString(seed, StandardCharsets.ISO_8859_1);
        Random random = new Random(seed.getFileName().toString().hashCode());
        for (int i = 0; i < MUTATIONS; i++) {
            parsesOrRefuses(mutate(original, random));
        }
    }

    /** One to three edits: flip a byte, cut, duplicate a slice, insert a JSON-ish token. */
    static String mutate(String input, Random random) {
        StringBuilder out = new StringBuilder(input);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = out.length() == 0 ? 0 : random.nextInt(out.length());
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (out.length() > 0) {
                        out.setCharAt(at, (char) (out.charAt(at) ^ (1 << random.nextInt(8))));
                    }
                }
                case 1 -> out.setLength(at);
                case 2 -> {
                    int end = Math.min(out.length(), at + 1 + random.nextInt(32));
                    out.insert(at, out.substring(at, end));
                }
                default -> out.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
            }
        }
        return out.toString();
    }

    private static String abbreviate(String raw) {
        String shown = raw.replace("\u0000", "\\0");
        return shown.length() <= 200 ? shown : shown.substring(0, 200) + "… (" + raw.length() + " chars)";
    }
}
