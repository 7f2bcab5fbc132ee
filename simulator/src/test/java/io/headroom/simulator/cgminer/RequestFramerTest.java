package io.headroom.simulator.cgminer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestFramerTest {
    private static int frame(String text, boolean eof) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return RequestFramer.completeLength(bytes, bytes.length, eof);
    }

    @Test
    void json_completeObject_endsAtItsClosingBrace() {
        assertThat(frame("{\"command\":\"summary\"}trailing", false)).isEqualTo(21);
    }

    @Test
    void json_splitAtEveryByte_isIncompleteUntilTheLastBrace() {
        String request = "{\"command\":\"curtail\",\"parameter\":\"a}b{,sleep\"}";
        for (int cut = 1; cut < request.length(); cut++) {
            assertThat(frame(request.substring(0, cut), false))
                    .as("cut at %d", cut)
                    .isEqualTo(-1);
        }
        assertThat(frame(request, false)).isEqualTo(request.length());
    }

    @Test
    void json_escapedQuoteInString_doesNotEndTheString() {
        assertThat(frame("{\"command\":\"x\\\"}\"", false)).isEqualTo(-1);
        assertThat(frame("{\"command\":\"x\\\"}\"}", false)).isEqualTo(18);
    }

    @Test
    void json_incompleteAtEndOfStream_isTakenAsIs() {
        assertThat(frame("{\"command\":", true)).isEqualTo(11);
    }

    @Test
    void plainText_endsAtNewlineOrNulOrEndOfRead() {
        assertThat(frame("summary|\nmore", false)).isEqualTo(8);
        assertThat(frame("summary\0", false)).isEqualTo(7);
        assertThat(frame("summary|", false)).isEqualTo(8);
    }

    @Test
    void onlyWhitespace_needsMoreOrClosesAtEndOfStream() {
        assertThat(frame("  \r\n", false)).isEqualTo(-1);
        assertThat(frame("  ", true)).isZero();
    }

    @Test
    void oversizeJson_isTakenAsIsAtTheLimit() {
        byte[] big = new byte[RequestFramer.MAX_REQUEST_BYTES];
        big[0] = '{';
        for (int i = 1; i < big.length; i++) {
            big[i] = '{';
        }
        assertThat(RequestFramer.completeLength(big, big.length, false)).isEqualTo(big.length);
    }
}
