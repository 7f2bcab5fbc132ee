package io.headroom.controller.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.mqtt.PasswordHash;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The global cap on password checks running at once: refused with 503 and Retry-After, never a check. */
class AuthenticatorChecksTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    static Authenticator authenticator(int maxChecks, LoginThrottle throttle) {
        UserDirectory users = new UserDirectory(
                List.of(new ApiUser("olga", ApiRole.OPERATOR, PasswordHash.create("olga-pw".toCharArray()))));
        return new Authenticator(users, new SessionStore(CLOCK, Duration.ofHours(1)), throttle, CLOCK, maxChecks);
    }

    static String basic(String name, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noCheckFree_busy503WithRetryAfter_andTheSourceIsNotCharged() {
        LoginThrottle throttle = new LoginThrottle(CLOCK, 1, Duration.ofMinutes(5));
        Authenticator auth = authenticator(0, throttle);
        AuthResult signIn = auth.signIn("olga", "wrong".toCharArray(), LOOPBACK);
        assertThat(signIn).isInstanceOfSatisfying(AuthResult.Refused.class, r -> {
            assertThat(r.refusal().status()).isEqualTo(503);
            assertThat(r.refusal().reason()).isEqualTo(Authenticator.BUSY);
            assertThat(r.refusal().retryAfterSeconds()).isEqualTo(1);
        });
        AuthResult viaBasic = auth.authenticate(basic("olga", "olga-pw"), null, LOOPBACK, true);
        assertThat(viaBasic)
                .isInstanceOfSatisfying(
                        AuthResult.Refused.class,
                        r -> assertThat(r.refusal().status()).isEqualTo(503));
        // Nothing was checked, so the one-failure throttle has not blocked the source.
        Authenticator open = authenticator(1, throttle);
        assertThat(open.signIn("olga", "olga-pw".toCharArray(), LOOPBACK)).isInstanceOf(AuthResult.Authenticated.class);
    }

    @Test
    void aCheckGivesItsPermitBack_wrongOrRight() {
        Authenticator auth = authenticator(1, new LoginThrottle(CLOCK, 100, Duration.ofMinutes(5)));
        for (int i = 0; i < 3; i++) {
            AuthResult wrong = auth.signIn("olga", "nope".toCharArray(), LOOPBACK);
            assertThat(wrong)
                    .isInstanceOfSatisfying(
                            AuthResult.Refused.class,
                            r -> assertThat(r.refusal().status()).isEqualTo(401));
        }
        assertThat(auth.authenticate(basic("olga", "olga-pw"), null, LOOPBACK, true))
                .isInstanceOf(AuthResult.Authenticated.class);
        assertThat(auth.signIn("olga", "olga-pw".toCharArray(), LOOPBACK)).isInstanceOf(AuthResult.Authenticated.class);
    }
}
