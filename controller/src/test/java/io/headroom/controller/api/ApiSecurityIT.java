package io.headroom.controller.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.headroom.controller.api.ApiFixture.Reply;
import io.headroom.controller.api.auth.Authenticator;
import io.headroom.controller.api.auth.WriteGuard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API as a hostile client meets it: no credentials, wrong ones, garbage, an expired
 * token, a viewer trying to write, a foreign page writing through the operator's browser (issue
 * 8, problem 2), absurd command values and a flood of failed sign-ins.
 */
@Timeout(60)
class ApiSecurityIT {
    private static final String SLEEP = "{\"verb\":\"sleep\"}";
    private static final String COMMANDS = "/api/v1/devices/m1/commands";

    @TempDir
    Path dir;

    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = ApiFixture.start(ApiSecurity.plaintext(TestUsers.all(), dir.resolve("audit.jsonl")));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void noCredentials_401WithJsonReason_butHealthAndThePageArePublic() throws Exception {
        Reply devices = api.get("/api/v1/devices", "");
        assertThat(devices.status()).isEqualTo(401);
        assertThat(devices.reason()).isEqualTo(Authenticator.UNAUTHENTICATED);
        assertThat(devices.json().get("error").asText()).contains("POST /api/v1/session");
        assertThat(devices.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"headroom\"");
        assertThat(api.get("/metrics", "").status()).isEqualTo(401);
        assertThat(api.post(COMMANDS, "", SLEEP).status()).isEqualTo(401);

        assertThat(api.get("/health", "").status()).isEqualTo(200);
        assertThat(api.get("/", "").status()).isEqualTo(200);
        assertThat(api.publisher.commands()).isEmpty();
    }

    @Test
    void head_answersLikeGetWithoutABody_needsTheSameRole_andIsNoWrite() throws Exception {
        String host = "Host: 127.0.0.1:" + api.port() + "\r\n";
        String viewer = api.bearer(TestUsers.VIEWER);
        Reply getDevices = api.get("/api/v1/devices", viewer);

        Reply headDevices = api.send("HEAD", "/api/v1/devices", host + viewer, "");
        Reply headHealth = api.send("HEAD", "/health", host, "");
        Reply headAnonymous = api.send("HEAD", "/api/v1/devices", host, "");
        Reply headCommands = api.send("HEAD", COMMANDS, host + viewer, "");
        Reply headAudit = api.send("HEAD", "/api/v1/audit", host + viewer, "");

        assertThat(headDevices.status())
                .as("a read, not refused as a write (was 415)")
                .isEqualTo(200);
        assertThat(headDevices.body()).isEmpty();
        assertThat(headDevices.header("Content-Length"))
                .isEqualTo(Integer.toString(getDevices.body().getBytes(StandardCharsets.UTF_8).length))
                .isNotEqualTo("0");
        assertThat(headDevices.header("Content-Type")).isEqualTo(getDevices.header("Content-Type"));
        assertThat(headHealth.status()).isEqualTo(200);
        assertThat(headHealth.body()).isEmpty();
        assertThat(headAnonymous.status()).isEqualTo(401);
        assertThat(headAnonymous.body()).isEmpty();
        assertThat(headCommands.status()).isEqualTo(405);
        assertThat(headCommands.header("Allow")).isEqualTo("POST");
        assertThat(headAudit.status())
                .as("the audit log needs operator, for HEAD too")
                .isEqualTo(403);
        assertThat(api.publisher.commands()).isEmpty();
    }

    @Test
    void wrongPassword_andUnknownUser_401TheSame_andAudited() throws Exception {
        Reply wrong = api.signIn("127.0.0.1", TestUsers.OPERATOR, "guess");
        Reply unknown = api.signIn("127.0.0.1", "mallory", "guess");

        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.reason()).isEqualTo(Authenticator.BAD_CREDENTIALS);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(wrong.body());
        Reply audit = api.get("/api/v1/audit", api.bearer(TestUsers.ADMIN));
        assertThat(audit.json()).anySatisfy(e -> {
            assertThat(e.get("user").asText()).isEqualTo("mallory");
            assertThat(e.get("action").asText()).isEqualTo("sign-in");
            assertThat(e.get("status").asInt()).isEqualTo(401);
            assertThat(e.get("source").asText()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void viewer_reads_butCannotWriteNorReadTheAuditLog_403NotA401() throws Exception {
        String viewer = api.bearer(TestUsers.VIEWER);

        assertThat(api.get("/api/v1/devices", viewer).status()).isEqualTo(200);
        assertThat(api.get("/metrics", viewer).status()).isEqualTo(200);
        Reply write = api.post(COMMANDS, viewer, SLEEP);
        assertThat(write.status()).isEqualTo(403);
        assertThat(write.reason()).isEqualTo("forbidden");
        assertThat(write.json().get("error").asText())
                .contains("'vera' is viewer")
                .contains("needs operator");
        assertThat(api.get("/api/v1/audit", viewer).status()).isEqualTo(403);
        assertThat(api.publisher.commands()).isEmpty();

        String operator = api.bearer(TestUsers.OPERATOR);
        assertThat(api.get("/api/v1/users", operator).status()).isEqualTo(403);
        Reply users = api.get("/api/v1/users", api.bearer(TestUsers.ADMIN));
        assertThat(users.status()).isEqualTo(200);
        assertThat(users.body())
                .contains("\"name\":\"vera\",\"role\":\"viewer\"")
                .doesNotContain("pbkdf2");
    }

    @Test
    void operator_sendsACommand_withTheSessionCookie_asThePageDoes() throws Exception {
        Reply signIn = api.signIn("127.0.0.1", TestUsers.OPERATOR, TestUsers.password(TestUsers.OPERATOR));
        String setCookie = signIn.header("Set-Cookie");
        assertThat(setCookie)
                .startsWith(Authenticator.COOKIE + "=")
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .contains("Max-Age=28800")
                .doesNotContain("Secure");
        String cookie = "Cookie: " + setCookie.substring(0, setCookie.indexOf(';')) + "\r\n";
        String origin = "Origin: http://127.0.0.1:" + api.port() + "\r\n";

        Reply sent = api.post(COMMANDS, cookie + origin, SLEEP);

        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        assertThat(api.publisher.commands()).hasSize(1);
        assertThat(api.get("/api/v1/session", cookie).json().get("role").asText())
                .isEqualTo("operator");
    }

    @Test
    void expiredToken_401_andSignOutEndsTheSession() throws Exception {
        String first = api.bearer(TestUsers.OPERATOR);
        String second = api.bearer(TestUsers.OPERATOR);
        assertThat(api.get("/api/v1/devices", first).status()).isEqualTo(200);

        Reply out = api.send(
                "DELETE", "/api/v1/session", "Host: localhost\r\nContent-Type: application/json\r\n" + second, "");
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.header("Set-Cookie")).contains("Max-Age=0");
        assertThat(api.get("/api/v1/devices", second).reason()).isEqualTo(Authenticator.INVALID_TOKEN);

        api.clock.advance(ApiSecurity.DEFAULT_SESSION_TTL.minusSeconds(1));
        assertThat(api.get("/api/v1/devices", first).status()).isEqualTo(200);
        api.clock.advance(Duration.ofSeconds(1));
        Reply expired = api.get("/api/v1/devices", first);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.reason()).isEqualTo(Authenticator.INVALID_TOKEN);
    }

    @Test
    void garbageAuthorizationHeaders_401Malformed_neverA500() throws Exception {
        String[] garbage = {
            "Bearer",
            "Bearer !!!",
            "Bearer " + "A".repeat(5000),
            "Basic %%%",
            "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
            "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, (byte) 0xfe, ':', 'x'}),
            "Digest username=\"olga\"",
            "\u0001\u0002",
        };
        for (String value : garbage) {
            Reply reply = api.get("/api/v1/devices", "Authorization: " + value + "\r\n");
            assertThat(reply.status()).as(value).isIn(400, 401);
            if (reply.status() == 401) {
                assertThat(reply.reason()).as(value).isIn(Authenticator.MALFORMED, Authenticator.INVALID_TOKEN);
            }
        }
        assertThat(api.get("/api/v1/devices", "Authorization: Bearer not-a-session\r\n")
                        .reason())
                .isEqualTo(Authenticator.INVALID_TOKEN);
        assertThat(api.get("/api/v1/devices", "Cookie: headroom_session=forged\r\n")
                        .reason())
                .isEqualTo(Authenticator.INVALID_TOKEN);
    }

    @Test
    void basic_acceptedFromLoopback_withTheRightPassword() throws Exception {
        assertThat(api.get("/api/v1/devices", "Authorization: " + TestUsers.basic(TestUsers.VIEWER) + "\r\n")
                        .status())
                .isEqualTo(200);
        String wrong = "Basic " + Base64.getEncoder().encodeToString("vera:nope".getBytes(StandardCharsets.UTF_8));
        assertThat(api.get("/api/v1/devices", "Authorization: " + wrong + "\r\n")
                        .reason())
                .isEqualTo(Authenticator.BAD_CREDENTIALS);
    }

    @Test
    void oversizeBody_413_beforeAnyPasswordIsChecked() throws Exception {
        String big = "{\"name\":\"olga\",\"password\":\"" + "x".repeat(70 * 1024) + "\"}";

        Reply reply = api.send("POST", "/api/v1/session", "Host: localhost\r\nContent-Type: application/json\r\n", big);

        assertThat(reply.status()).isEqualTo(413);
    }

    /** Issue 8, problem 2, exactly as reproduced: a foreign page's text/plain POST must not sleep the miner. */
    @Test
    void crossSiteWrite_textPlainFromEvilOrigin_415_andTheMinerKeepsMining() throws Exception {
        String operator = api.bearer(TestUsers.OPERATOR);
        String evil = "Origin: http://evil.example\r\n";
        String host = "Host: 127.0.0.1:" + api.port() + "\r\n";

        Reply plain = api.send("POST", COMMANDS, host + evil + "Content-Type: text/plain\r\n" + operator, SLEEP);
        Reply form = api.send(
                "POST",
                COMMANDS,
                host + evil + "Content-Type: application/x-www-form-urlencoded\r\n" + operator,
                "{\"verb\":\"sleep\"}=");
        Reply multipart = api.send(
                "POST", COMMANDS, host + evil + "Content-Type: multipart/form-data; boundary=x\r\n" + operator, SLEEP);
        Reply none = api.send("POST", COMMANDS, host + operator, SLEEP);
        Reply json = api.send("POST", COMMANDS, host + evil + "Content-Type: application/json\r\n" + operator, SLEEP);
        Reply nullOrigin = api.send(
                "POST", COMMANDS, host + "Origin: null\r\nContent-Type: application/json\r\n" + operator, SLEEP);
        Reply rebound = api.send(
                "POST", COMMANDS, "Host: evil.example\r\nContent-Type: application/json\r\n" + operator, SLEEP);

        for (Reply reply : new Reply[] {plain, form, multipart, none}) {
            assertThat(reply.status()).as(reply.body()).isEqualTo(415);
            assertThat(reply.reason()).isEqualTo(WriteGuard.UNSUPPORTED_MEDIA_TYPE);
        }
        assertThat(json.status()).isEqualTo(403);
        assertThat(json.reason()).isEqualTo(WriteGuard.FOREIGN_ORIGIN);
        assertThat(json.json().get("error").asText()).contains("http://evil.example");
        assertThat(nullOrigin.reason()).isEqualTo(WriteGuard.FOREIGN_ORIGIN);
        assertThat(rebound.status()).isEqualTo(403);
        assertThat(rebound.reason()).isEqualTo(WriteGuard.HOST_NOT_ALLOWED);
        assertThat(api.publisher.commands()).as("nothing reached the agent").isEmpty();
        assertThat(api.context
                        .store()
                        .device("m1")
                        .orElseThrow()
                        .metrics()
                        .get("power")
                        .value())
                .isEqualTo(3250);
        assertThat(api.counter("headroom.http.writes.refused", "reason", WriteGuard.UNSUPPORTED_MEDIA_TYPE))
                .isEqualTo(4);
    }

    @Test
    void configuredHostAndOrigin_mayWrite() throws Exception {
        api.close();
        api = ApiFixture.start(new ApiSecurity(
                TestUsers.all(),
                ApiSecurity.DEFAULT_SESSION_TTL,
                10,
                Duration.ofMinutes(1),
                java.util.List.of("headroom.example"),
                java.util.List.of("https://proxy.example"),
                dir.resolve("audit2.jsonl"),
                java.util.Optional.empty()));
        String operator = api.bearer(TestUsers.OPERATOR);

        Reply viaName = api.send(
                "POST",
                COMMANDS,
                "Host: headroom.example:8080\r\nOrigin: http://headroom.example:8080\r\n"
                        + "Content-Type: application/json; charset=utf-8\r\n" + operator,
                SLEEP);
        Reply viaProxy = api.send(
                "POST",
                COMMANDS,
                "Host: headroom.example\r\nOrigin: https://proxy.example\r\nContent-Type: application/json\r\n"
                        + operator,
                SLEEP);

        assertThat(viaName.status()).as(viaName.body()).isEqualTo(202);
        assertThat(viaProxy.status()).as(viaProxy.body()).isEqualTo(202);
    }

    @Test
    void absurdCommandValues_refused_422Or400_andNothingSent() throws Exception {
        String operator = api.bearer(TestUsers.OPERATOR);

        Reply huge = api.post(COMMANDS, operator, "{\"verb\":\"set-power-target\",\"value\":1e308}");
        Reply negative = api.post(COMMANDS, operator, "{\"verb\":\"set-power-target\",\"value\":-3000}");
        Reply infinite = api.post(COMMANDS, operator, "{\"verb\":\"set-power-target\",\"value\":1e400}");
        Reply nan = api.post(COMMANDS, operator, "{\"verb\":\"set-power-target\",\"value\":NaN}");
        Reply text = api.post(COMMANDS, operator, "{\"verb\":\"set-power-target\",\"value\":\"Infinity\"}");

        assertThat(huge.status()).isEqualTo(422);
        assertThat(huge.reason()).isEqualTo("out-of-range");
        assertThat(huge.json().get("error").asText()).contains("is outside 1200..3300 W");
        assertThat(negative.status()).isEqualTo(422);
        assertThat(negative.reason()).isEqualTo("out-of-range");
        assertThat(infinite.status()).isEqualTo(400);
        assertThat(infinite.json().get("error").asText()).startsWith("value: must be a finite number");
        assertThat(nan.status()).isEqualTo(400);
        assertThat(text.status()).isEqualTo(400);
        assertThat(api.publisher.commands()).isEmpty();
    }

    @Test
    void failedSignInFlood_fromOneAddress_throttled429_whileTheOperatorSignsInFromAnother() throws Exception {
        for (int i = 0; i < ApiSecurity.DEFAULT_MAX_FAILED_LOGINS; i++) {
            assertThat(api.signIn("127.0.0.1", TestUsers.OPERATOR, "guess-" + i).status())
                    .isEqualTo(401);
        }
        Reply throttled = api.signIn("127.0.0.1", TestUsers.OPERATOR, TestUsers.password(TestUsers.OPERATOR));
        Reply basic = api.get("/api/v1/devices", "Authorization: " + TestUsers.basic(TestUsers.OPERATOR) + "\r\n");
        for (int i = 0; i < 200; i++) {
            assertThat(api.signIn("127.0.0.1", TestUsers.OPERATOR, "guess").status())
                    .isEqualTo(429);
        }
        Reply elsewhere = api.signIn("127.0.0.2", TestUsers.OPERATOR, TestUsers.password(TestUsers.OPERATOR));

        assertThat(throttled.status()).as("even the right password waits").isEqualTo(429);
        assertThat(throttled.reason()).isEqualTo(Authenticator.THROTTLED);
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(basic.status()).isEqualTo(429);
        assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(200);
        api.clock.advance(ApiSecurity.DEFAULT_FAILED_LOGIN_WINDOW);
        assertThat(api.signIn("127.0.0.1", TestUsers.OPERATOR, TestUsers.password(TestUsers.OPERATOR))
                        .status())
                .isEqualTo(200);
        // The throttled attempts were not written: 10 failures, 2 sign-ins (and the admin's read).
        assertThat(api.get("/api/v1/audit?limit=1000", api.bearer(TestUsers.ADMIN))
                        .json())
                .hasSize(ApiSecurity.DEFAULT_MAX_FAILED_LOGINS + 3);
    }
}
