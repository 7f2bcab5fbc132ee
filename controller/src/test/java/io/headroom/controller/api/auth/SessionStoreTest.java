package io.headroom.controller.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.SteppableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
    private final SteppableClock clock = new SteppableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final SessionStore sessions = new SessionStore(clock, Duration.ofHours(1));
    private final Principal olga = new Principal("olga", ApiRole.OPERATOR);

    @Test
    void tokens_areRandom_expire_andEndAtSignOut() {
        Session first = sessions.create(olga);
        Session second = sessions.create(olga);

        assertThat(first.token()).hasSize(43).isNotEqualTo(second.token()).matches("[A-Za-z0-9_-]+");
        assertThat(first.toString()).doesNotContain(first.token());
        assertThat(sessions.find(first.token())).contains(first);
        assertThat(sessions.delete(second.token())).isTrue();
        assertThat(sessions.find(second.token())).isEmpty();
        clock.advance(Duration.ofHours(1));
        assertThat(sessions.find(first.token())).isEmpty();
        assertThat(sessions.size()).isZero();
    }
}
