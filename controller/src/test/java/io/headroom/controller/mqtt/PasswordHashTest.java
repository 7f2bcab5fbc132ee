package io.headroom.controller.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
    @Test
    void create_defaultIterations_roundTripsThroughEncoding() {
        PasswordHash hash = PasswordHash.create("s3cret".toCharArray());

        PasswordHash parsed = PasswordHash.parse(hash.encoded());

        assertThat(parsed).isEqualTo(hash);
        assertThat(parsed.iterations()).isEqualTo(210_000);
        assertThat(hash.encoded()).startsWith("pbkdf2-sha256$210000$");
        assertThat(parsed.verify("s3cret".toCharArray())).isTrue();
    }

    @Test
    void verify_wrongOrEmptyPassword_false() {
        PasswordHash hash = PasswordHash.create("s3cret".toCharArray(), PasswordHash.MIN_ITERATIONS);

        assertThat(hash.verify("s3cret!".toCharArray())).isFalse();
        assertThat(hash.verify("S3cret".toCharArray())).isFalse();
        assertThat(hash.verify(new char[0])).isFalse();
    }

    @Test
    void create_sameSecretTwice_differentSalts() {
        PasswordHash one = PasswordHash.create("s3cret".toCharArray(), PasswordHash.MIN_ITERATIONS);
        PasswordHash two = PasswordHash.create("s3cret".toCharArray(), PasswordHash.MIN_ITERATIONS);

        assertThat(one.encoded()).isNotEqualTo(two.encoded());
    }

    @Test
    void parse_iterationCountIsHonouredOnVerify() {
        PasswordHash hash = PasswordHash.create("s3cret".toCharArray(), 2_000);
        String[] parts = hash.encoded().split("\\$");
        String otherCount = parts[0] + "$3000$" + parts[2] + "$" + parts[3];

        assertThat(PasswordHash.parse(hash.encoded()).verify("s3cret".toCharArray()))
                .isTrue();
        assertThat(PasswordHash.parse(otherCount).verify("s3cret".toCharArray()))
                .isFalse();
    }

    @Test
    void parse_tamperedHash_doesNotVerify() {
        PasswordHash hash = PasswordHash.create("s3cret".toCharArray(), PasswordHash.MIN_ITERATIONS);
        String encoded = hash.encoded();
        char last = encoded.charAt(encoded.length() - 2);
        String tampered = encoded.substring(0, encoded.length() - 2)
                + (last == 'A' ? 'B' : 'A')
                + encoded.charAt(encoded.length() - 1);

        assertThat(PasswordHash.parse(tampered).verify("s3cret".toCharArray())).isFalse();
    }

    @Test
    void parse_malformedEncodings_rejectedWithClearMessages() {
        String salt = "c2FsdHNhbHRzYWx0c2FsdA";
        String hash = "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
        assertThatThrownBy(() -> PasswordHash.parse("")).hasMessage("password hash: must not be empty");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$1000$" + salt))
                .hasMessageContaining("found 3 '$'-separated parts");
        assertThatThrownBy(() -> PasswordHash.parse("bcrypt$1000$" + salt + "$" + hash))
                .hasMessageContaining("unknown scheme 'bcrypt'");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$ten$" + salt + "$" + hash))
                .hasMessageContaining("iterations 'ten' is not a number");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$10$" + salt + "$" + hash))
                .hasMessageContaining("iterations 10 is outside 1000..10000000");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$1000$!!$" + hash))
                .hasMessageContaining("salt is not valid base64");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$1000$" + salt + "$AAAA"))
                .hasMessageContaining("hash must be 16 to 64 bytes, is 3");
    }

    @Test
    void toString_revealsNeitherSaltNorHash() {
        PasswordHash hash = PasswordHash.create("s3cret".toCharArray(), PasswordHash.MIN_ITERATIONS);

        assertThat(hash.toString()).isEqualTo("PasswordHash[pbkdf2-sha256, 1000 iterations]");
    }
}
