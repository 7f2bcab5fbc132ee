package io.headroom.agent.driver.whatsminer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The Whatsminer cryptography against vectors computed with OpenSSL 3.0 ({@code openssl passwd -1},
 * {@code openssl enc -aes-256-ecb -nopad}, {@code openssl dgst -sha256}): an implementation no one here wrote.
 */
class WhatsminerCryptoTest {

    @Test
    void md5Crypt_matchesOpensslPasswd1() {
        // openssl passwd -1 -salt saltsalt password → $1$saltsalt$qjXMvbEw8oaL.CzflDtaK/
        assertThat(WhatsminerCrypto.md5CryptHash("password", "saltsalt")).isEqualTo("qjXMvbEw8oaL.CzflDtaK/");
        // openssl passwd -1 -salt BQ5hoXV9 admin → $1$BQ5hoXV9$RxmaDUO33TS7O26yeMHZ81
        assertThat(WhatsminerCrypto.hostPasswordMd5("admin".toCharArray(), "BQ5hoXV9"))
                .isEqualTo("RxmaDUO33TS7O26yeMHZ81");
    }

    @Test
    void hostSign_isMd5CryptOfPasswordMd5AndTime_withNewSalt() {
        // openssl passwd -1 -salt jbzkfQls RxmaDUO33TS7O26yeMHZ811689
        assertThat(WhatsminerCrypto.hostSign("RxmaDUO33TS7O26yeMHZ81", "1689", "jbzkfQls"))
                .isEqualTo("Y5t.VZkORUOYj1utolDGG1");
    }

    @Test
    void encrypt_matchesOpensslAes256EcbWithZeroPadding() {
        // key = sha256("RxmaDUO33TS7O26yeMHZ81"); plaintext zero-padded to 64 bytes; openssl enc -nopad | base64
        SecretKeySpec key = WhatsminerCrypto.aesKey("RxmaDUO33TS7O26yeMHZ81");
        String plain = "{\"cmd\":\"power_off\",\"respbefore\":\"true\",\"token\":\"abc\"}";

        String enc = WhatsminerCrypto.encrypt(key, plain);

        assertThat(enc)
                .isEqualTo("p/QzYk8jszmQrR9dnOEVtXIRGg7DTmk9EUY2Z5AGabmXE9uaOgah2+aEOFK/+YqMETQ/F3pan8inXQt6HOkHqg==");
        assertThat(WhatsminerCrypto.decrypt(key, enc)).isEqualTo(plain);
    }

    @Test
    void envelope_roundTrips_forEveryLengthAroundABlock() {
        SecretKeySpec key = WhatsminerCrypto.aesKey("some-md5");
        for (int n = 1; n <= 40; n++) {
            String text = "x".repeat(n) + "é";
            assertThat(WhatsminerCrypto.decrypt(key, WhatsminerCrypto.encrypt(key, text)))
                    .as("length " + n)
                    .isEqualTo(text);
        }
    }

    @Test
    void decrypt_refusesWhatIsNotWholeBlocksOfBase64() {
        SecretKeySpec key = WhatsminerCrypto.aesKey("k");

        assertThatThrownBy(() -> WhatsminerCrypto.decrypt(key, "%%%"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> WhatsminerCrypto.decrypt(key, "AAAA"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 bytes is not a whole number of AES blocks");
    }

    @Test
    void v3Token_isTheFirst8CharactersOfBase64Sha256() {
        // printf 'set.miner.power_limitsuperuhCiDyVj1773869570' | openssl dgst -sha256 -binary | base64 | cut -c1-8
        assertThat(WhatsminerCrypto.v3Token("set.miner.power_limit", "super".toCharArray(), "uhCiDyVj", 1773869570L))
                .isEqualTo("TaB0bCds");
    }

    @Test
    void md5Crypt_refusesASaltItCannotUse() {
        assertThatThrownBy(() -> WhatsminerCrypto.md5CryptHash("pw", "bad salt!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("salt: 'bad salt!' is not 1 to 8 characters of [./0-9A-Za-z]");
    }
}
