package io.headroom.agent.driver.antminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Digest authentication against the worked examples of RFC 7616 §3.9.1, and challenge parsing. */
class AntminerDigestTest {

    /** The challenge of RFC 7616 §3.9.1, with the algorithm left to the test. */
    private static String rfcChallenge(String algorithm) {
        return "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=" + algorithm
                + ", nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\","
                + " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
    }

    private static String response(String header) {
        int at = header.indexOf("response=\"") + "response=\"".length();
        return header.substring(at, header.indexOf('"', at));
    }

    private static String rfcAuthorization(String algorithm) {
        DigestAuthenticator digest = new DigestAuthenticator(new SecureRandom());
        digest.accept(DigestChallenge.select(List.of(rfcChallenge(algorithm))));
        return digest.authorization(
                "GET",
                "/dir/index.html",
                "Mufasa",
                "Circle of Life".toCharArray(),
                "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
    }

    @Test
    void md5_matchesTheRfcExample() {
        String header = rfcAuthorization("MD5");

        assertThat(response(header)).isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
        assertThat(header)
                .contains("qop=auth, nc=00000001")
                .contains("opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"")
                .contains("uri=\"/dir/index.html\"");
    }

    @Test
    void sha256_matchesTheRfcExample() {
        assertThat(response(rfcAuthorization("SHA-256")))
                .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    @Test
    void nonceCount_increasesPerRequest_andRestartsWithANewChallenge() {
        DigestAuthenticator digest = new DigestAuthenticator(new SecureRandom());
        digest.accept(DigestChallenge.select(List.of(rfcChallenge("MD5"))));
        digest.authorization("GET", "/a", "root", "pw".toCharArray());

        assertThat(digest.authorization("GET", "/a", "root", "pw".toCharArray()))
                .contains("nc=00000002");

        digest.accept(DigestChallenge.select(List.of(rfcChallenge("MD5"))));
        assertThat(digest.authorization("GET", "/a", "root", "pw".toCharArray()))
                .contains("nc=00000001");
    }

    @Test
    void select_prefersSha256_andSkipsOtherSchemes() {
        DigestChallenge chosen = DigestChallenge.select(List.of(
                "Basic realm=\"x\", Digest realm=\"r\", nonce=\"n1\", algorithm=MD5, qop=\"auth\"",
                "Digest realm=\"r\", nonce=\"n2\", algorithm=SHA-256, qop=\"auth\", stale=TRUE"));

        assertThat(chosen.nonce()).isEqualTo("n2");
        assertThat(chosen.algorithm()).isEqualTo("SHA-256");
        assertThat(chosen.stale()).isTrue();
    }

    @Test
    void select_readsQuotedCommasAndEscapes_andDefaultsToMd5() {
        DigestChallenge chosen =
                DigestChallenge.select(List.of("Digest realm=\"antMiner, \\\"Configuration\\\"\", nonce=abc"));

        assertThat(chosen.realm()).isEqualTo("antMiner, \"Configuration\"");
        assertThat(chosen.nonce()).isEqualTo("abc");
        assertThat(chosen.algorithm()).isEqualTo("MD5");
        assertThat(chosen.qops()).isEmpty();
        assertThat(chosen.opaque()).isEmpty();
    }

    @Test
    void rfc2069Challenge_withoutQop_givesTheOldForm() {
        DigestAuthenticator digest = new DigestAuthenticator(new SecureRandom());
        digest.accept(DigestChallenge.select(List.of("Digest realm=\"r\", nonce=\"n\"")));

        String header = digest.authorization("GET", "/x", "u", "p".toCharArray());

        String ha1 = DigestAuthenticator.hex("MD5", "u:r:p");
        String ha2 = DigestAuthenticator.hex("MD5", "GET:/x");
        assertThat(response(header)).isEqualTo(DigestAuthenticator.hex("MD5", ha1 + ":n:" + ha2));
        assertThat(header).doesNotContain("qop=");
    }

    @Test
    void hostileChallenges_areRefusedWithAReason_neverThrowOtherwise() {
        for (Map.Entry<String, String> bad : Map.of(
                        "Basic realm=\"x\"",
                        "no Digest challenge",
                        "Digest realm=\"r\"",
                        "no nonce",
                        "Digest nonce=\"n\"",
                        "no realm",
                        "Digest realm=\"unterminated, nonce=",
                        "no nonce",
                        "Digest " + "x".repeat(5000),
                        "over 4096",
                        "\u0000\u0001=,,,\"\"\"",
                        "no Digest challenge")
                .entrySet()) {
            assertThatThrownBy(() -> DigestChallenge.select(List.of(bad.getKey())))
                    .as(bad.getKey())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.getValue());
        }
    }

    @Test
    void unsupportedAlgorithmOrQop_isAClearError() {
        DigestAuthenticator digest = new DigestAuthenticator(new SecureRandom());
        digest.accept(DigestChallenge.select(List.of("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-1")));
        assertThatThrownBy(() -> digest.authorization("GET", "/", "u", "p".toCharArray()))
                .hasMessageContaining("'SHA-1' is not supported");

        digest.accept(DigestChallenge.select(List.of("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"")));
        assertThatThrownBy(() -> digest.authorization("GET", "/", "u", "p".toCharArray()))
                .hasMessageContaining("only qop auth-int");
    }

    @Test
    void sessionVariant_hashesTheNoncesIntoHa1() {
        DigestAuthenticator digest = new DigestAuthenticator(new SecureRandom());
        digest.accept(DigestChallenge.select(List.of("Digest realm=\"r\", nonce=\"n\", algorithm=MD5-sess, qop=auth")));

        String header = digest.authorization("GET", "/x", "u", "p".toCharArray(), "c");

        String ha1 = DigestAuthenticator.hex("MD5", DigestAuthenticator.hex("MD5", "u:r:p") + ":n:c");
        String ha2 = DigestAuthenticator.hex("MD5", "GET:/x");
        assertThat(response(header)).isEqualTo(DigestAuthenticator.hex("MD5", ha1 + ":n:00000001:c:auth:" + ha2));
    }
}
