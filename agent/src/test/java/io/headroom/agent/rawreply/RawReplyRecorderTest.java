package io.headroom.agent.rawreply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RawReplyRecorderTest {

    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_123L), ZoneOffset.UTC);
    private final RawReplyRecorder recorder = new RawReplyRecorder(clock);

    @Test
    void onePollOfOneRequest_keepsTheReplyAsItCame() {
        recorder.pollStarted();
        recorder.exchange("summary", "{\"STATUS\":[{\"STATUS\":\"S\"}],\"id\":1}\u0000");
        recorder.pollEnded();

        RawReply raw = recorder.last().orElseThrow();
        assertThat(raw.request()).isEqualTo("summary");
        assertThat(raw.reply()).isEqualTo("{\"STATUS\":[{\"STATUS\":\"S\"}],\"id\":1}\u0000");
        assertThat(raw.readAtMs()).isEqualTo(1_700_000_000_123L);
        assertThat(raw.truncated()).isFalse();
    }

    @Test
    void onePollOfSeveralRequests_keepsEachUnderItsRequest_inOrder() {
        recorder.pollStarted();
        recorder.exchange("summary", "A");
        recorder.failed("stats", "timeout after 3000 ms");
        recorder.pollEnded();

        RawReply raw = recorder.last().orElseThrow();
        assertThat(raw.request()).isEqualTo("summary\nstats");
        assertThat(raw.reply()).isEqualTo("### summary\nA\n\n### stats\n(no reply: timeout after 3000 ms)\n\n");
    }

    @Test
    void exchangesOutsideAPoll_areNotKept_andAnEmptyPollKeepsThePreviousOne() {
        recorder.exchange("curtail", "written");
        assertThat(recorder.last()).isEmpty();

        recorder.pollStarted();
        recorder.exchange("summary", "first");
        recorder.pollEnded();
        recorder.exchange("curtail", "written");
        recorder.pollStarted();
        recorder.pollEnded();

        assertThat(recorder.last().orElseThrow().reply()).isEqualTo("first");
    }

    @Test
    void aPollLongerThanTheBound_isCutAtWholeCharacters_andSaysSo() {
        // 3-byte characters, so the bound of 65,536 bytes falls inside one.
        String reply = "€".repeat(30_000);
        recorder.pollStarted();
        recorder.exchange("stats", reply);
        recorder.pollEnded();

        RawReply raw = recorder.last().orElseThrow();
        assertThat(raw.truncated()).isTrue();
        int bytes = raw.reply().getBytes(StandardCharsets.UTF_8).length;
        assertThat(bytes).isLessThanOrEqualTo(RawReplyRecorder.MAX_REPLY_BYTES).isGreaterThan(65_530);
        assertThat(raw.reply()).isEqualTo("€".repeat(bytes / 3));
    }

    @Test
    void secretsInRequestsAndReplies_areRedactedBeforeTheyAreKept() {
        recorder.pollStarted();
        recorder.exchange("POST /api/v1/auth/login", "{\"token\":\"eyJhbGciOi.secret\",\"timeout_s\":3600}");
        recorder.pollEnded();

        RawReply raw = recorder.last().orElseThrow();
        assertThat(raw.reply()).doesNotContain("eyJhbGciOi").contains("\"timeout_s\":3600");
    }

    @Test
    void none_keepsNothing() {
        RawReplyRecorder.NONE.pollStarted();
        RawReplyRecorder.NONE.exchange("summary", "A");
        RawReplyRecorder.NONE.pollEnded();

        assertThat(RawReplyRecorder.NONE.last()).isEmpty();
    }
}
