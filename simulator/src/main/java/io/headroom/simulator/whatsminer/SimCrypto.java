package io.headroom.simulator.whatsminer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.digest.Md5Crypt;

/**
 * The miner's side of the Whatsminer cryptography (reference/DEVICES.md §4.3), written apart from the agent's
 * so that the simulator checks a driver against the scheme, not against the driver's own code.
 */
final class SimCrypto {

    private SimCrypto() {}

    /** The hash part of {@code $1$<salt>$<hash>}. */
    static String md5CryptHash(String key, String salt) {
        String full = Md5Crypt.md5Crypt(key.getBytes(StandardCharsets.UTF_8), "$1$" + salt);
        return full.substring(full.lastIndexOf('$') + 1);
    }

    static SecretKeySpec aesKey(String hostPasswordMd5) {
        return new SecretKeySpec(sha256(hostPasswordMd5.getBytes(StandardCharsets.UTF_8)), "AES");
    }

    static String encrypt(SecretKeySpec key, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(data, (data.length + 15) / 16 * 16);
        try {
            Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key);
            return Base64.getEncoder().encodeToString(cipher.doFinal(padded));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decrypted text without its zero padding, or null when it is not base64 of whole AES blocks. */
    static String decryptOrNull(SecretKeySpec key, String base64) {
        try {
            byte[] data = Base64.getDecoder().decode(base64);
            if (data.length == 0 || data.length % 16 != 0) {
                return null;
            }
            Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key);
            byte[] plain = cipher.doFinal(data);
            int end = plain.length;
            while (end > 0 && plain[end - 1] == 0) {
                end--;
            }
            return new String(plain, 0, end, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null;
        }
    }

    static String v3Token(String cmd, String password, String salt, long ts) {
        byte[] digest = sha256((cmd + password + salt + ts).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(digest).substring(0, 8);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
