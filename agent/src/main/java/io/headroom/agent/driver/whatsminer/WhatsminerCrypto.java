package io.headroom.agent.driver.whatsminer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.digest.Md5Crypt;

/**
 * The Whatsminer API's cryptography (reference/DEVICES.md §4.3), as pure functions.
 *
 * <p>API v2: {@code host_passwd_md5} is the hash part of md5-crypt ({@code $1$<salt>$<hash>}) of the
 * admin password with the token's {@code salt}; {@code host_sign} the hash part of md5-crypt of
 * {@code host_passwd_md5 + time} with {@code newsalt}. Writes travel AES-256-ECB encrypted under
 * sha256({@code host_passwd_md5}), zero-padded to the block size, base64-encoded. md5-crypt comes from
 * Apache Commons Codec (decision D29), AES and SHA-256 from the JDK.
 *
 * <p>API v3: the token of a {@code set.*} command is the first 8 characters of
 * base64(sha256(cmd + password + salt + ts)).
 */
public final class WhatsminerCrypto {

    /** What md5-crypt accepts as a salt: up to 8 characters of {@code [./0-9A-Za-z]}. */
    private static final Pattern SALT = Pattern.compile("[./0-9A-Za-z]{1,8}");

    private static final int BLOCK = 16;

    private WhatsminerCrypto() {}

    /**
     * The hash part of md5-crypt of {@code key} with {@code salt}: what follows {@code $1$<salt>$}.
     *
     * @throws IllegalArgumentException naming the salt when it is not an md5-crypt salt
     */
    public static String md5CryptHash(String key, String salt) {
        if (!SALT.matcher(salt).matches()) {
            throw new IllegalArgumentException("salt: '" + salt + "' is not 1 to 8 characters of [./0-9A-Za-z]");
        }
        String full = Md5Crypt.md5Crypt(key.getBytes(StandardCharsets.UTF_8), "$1$" + salt);
        return full.substring(full.lastIndexOf('$') + 1);
    }

    /** API v2 {@code host_passwd_md5}: md5-crypt of the admin password with the token's salt. */
    public static String hostPasswordMd5(char[] password, String salt) {
        return md5CryptHash(new String(password), salt);
    }

    /** API v2 {@code host_sign}: md5-crypt of {@code host_passwd_md5 + time} with the token's new salt. */
    public static String hostSign(String hostPasswordMd5, String time, String newSalt) {
        return md5CryptHash(hostPasswordMd5 + time, newSalt);
    }

    /** API v2 AES-256 key: sha256 of {@code host_passwd_md5}. */
    public static SecretKeySpec aesKey(String hostPasswordMd5) {
        return new SecretKeySpec(sha256(hostPasswordMd5.getBytes(StandardCharsets.UTF_8)), "AES");
    }

    /** AES-256-ECB of the UTF-8 text, zero-padded to 16 bytes, base64 (standard alphabet, no line breaks). */
    public static String encrypt(SecretKeySpec key, String plaintext) {
        byte[] data = plaintext.getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(data, (data.length + BLOCK - 1) / BLOCK * BLOCK);
        try {
            Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key);
            return Base64.getEncoder().encodeToString(cipher.doFinal(padded));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/NoPadding is not available in this JDK", e);
        }
    }

    /**
     * Reverses {@link #encrypt}: base64, AES-256-ECB, trailing zero bytes dropped.
     *
     * @throws IllegalArgumentException when the text is not base64 of whole AES blocks
     */
    public static String decrypt(SecretKeySpec key, String base64) {
        byte[] data;
        try {
            data = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("enc: not base64: " + e.getMessage(), e);
        }
        if (data.length == 0 || data.length % BLOCK != 0) {
            throw new IllegalArgumentException("enc: " + data.length + " bytes is not a whole number of AES blocks");
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key);
            plain = cipher.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("enc: cannot decrypt: " + e.getMessage(), e);
        }
        int end = plain.length;
        while (end > 0 && plain[end - 1] == 0) {
            end--;
        }
        return new String(plain, 0, end, StandardCharsets.UTF_8);
    }

    /** API v3 token of a {@code set.*} command: the first 8 characters of base64(sha256(cmd+password+salt+ts)). */
    public static String v3Token(String command, char[] password, String salt, long ts) {
        byte[] digest = sha256((command + new String(password) + salt + ts).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(digest).substring(0, 8);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }
}
