package io.headroom.controller.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WriteGuardTest {
    private final WriteGuard guard =
            new WriteGuard("10.0.0.5", List.of("Headroom.Example"), List.of("https://proxy.example"));

    private Optional<String> reason(String contentType, String host, String origin, boolean tls) {
        return guard.check(contentType, host, origin, tls).map(Refusal::reason);
    }

    @Test
    void json_fromAnAllowedHost_withoutOrSameOrigin_passes() {
        assertThat(reason("application/json", "127.0.0.1:8080", null, false)).isEmpty();
        assertThat(reason("Application/JSON; charset=utf-8", "localhost:8080", "http://localhost:8080", false))
                .isEmpty();
        assertThat(reason("application/json", "[::1]:8080", "http://[::1]:8080", false))
                .isEmpty();
        assertThat(reason("application/json", "10.0.0.5", "http://10.0.0.5:80", false))
                .isEmpty();
        assertThat(reason("application/json", "headroom.example:8443", "https://headroom.example:8443", true))
                .isEmpty();
        assertThat(reason("application/json", "headroom.example", "https://proxy.example", false))
                .isEmpty();
    }

    @Test
    void otherBodies_415() {
        for (String type : new String[] {
            null,
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/jsonp",
            "text/json"
        }) {
            assertThat(reason(type, "localhost", null, false)).as(type).contains(WriteGuard.UNSUPPORTED_MEDIA_TYPE);
        }
    }

    @Test
    void foreignHostsAndOrigins_403() {
        assertThat(reason("application/json", "evil.example", null, false)).contains(WriteGuard.HOST_NOT_ALLOWED);
        assertThat(reason("application/json", null, null, false)).contains(WriteGuard.HOST_NOT_ALLOWED);
        assertThat(reason("application/json", "localhost.evil.example", null, false))
                .contains(WriteGuard.HOST_NOT_ALLOWED);
        assertThat(reason("application/json", "localhost:8080", "http://evil.example", false))
                .contains(WriteGuard.FOREIGN_ORIGIN);
        assertThat(reason("application/json", "localhost:8080", "null", false)).contains(WriteGuard.FOREIGN_ORIGIN);
        assertThat(reason("application/json", "localhost:8080", "http://localhost:9999", false))
                .as("another port is another origin")
                .contains(WriteGuard.FOREIGN_ORIGIN);
        assertThat(reason("application/json", "localhost:8080", "http://localhost:8080", true))
                .as("over TLS the own origin is https")
                .contains(WriteGuard.FOREIGN_ORIGIN);
        assertThat(reason("application/json", "headroom.example", "https://proxy.example.evil", false))
                .contains(WriteGuard.FOREIGN_ORIGIN);
    }

    @Test
    void wildcardBind_isNoHostName() {
        WriteGuard any = new WriteGuard("0.0.0.0", List.of(), List.of());
        assertThat(any.allowedHosts()).containsExactlyInAnyOrder("localhost", "127.0.0.1", "::1");
    }
}
