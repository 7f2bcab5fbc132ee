package io.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The realm of a {@code WWW-Authenticate} Digest challenge, which tells a stock Antminer's web UI apart. */
class WebFingerprintTest {

    @Test
    void theRealmOfADigestChallenge_isFound_whereverItStands() {
        // RFC 7616 §3.9.1's challenge.
        assertThat(WebFingerprint.digestRealm("Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\","
                        + " algorithm=SHA-256, nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\","
                        + " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""))
                .contains("http-auth@example.org");
        assertThat(WebFingerprint.digestRealm("Digest qop=\"auth\", realm=\"antMiner Configuration\", nonce=\"x\""))
                .contains("antMiner Configuration");
        assertThat(WebFingerprint.digestRealm("digest realm=\"antMiner Configuration\""))
                .isPresent();
    }

    @Test
    void anythingElse_hasNoRealm() {
        assertThat(WebFingerprint.digestRealm("Basic realm=\"antMiner Configuration\""))
                .isEmpty();
        assertThat(WebFingerprint.digestRealm("Digest nonce=\"abc\", xrealm=\"antMiner\""))
                .isEmpty();
        assertThat(WebFingerprint.digestRealm("Digest realm=antMiner")).isEmpty();
        assertThat(WebFingerprint.digestRealm("Digest realm=\"" + "a".repeat(5000) + "\""))
                .isEmpty();
        assertThat(WebFingerprint.digestRealm("")).isEmpty();
    }
}
