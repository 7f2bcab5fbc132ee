package io.headroom.simulator.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A fresh self-signed certificate for {@code localhost} / {@code 127.0.0.1}, made at start as a BMC
 * makes its own. The JDK has no public API to issue a certificate, so this runs the JDK's own
 * {@code keytool} (beside the running {@code java}), which every JDK ships; no extra library.
 *
 * @param context the server's TLS context with the key
 * @param pem the certificate as PEM, for a client's CA file
 */
public record SelfSignedCertificate(SSLContext context, String pem) {

    private static SelfSignedCertificate shared;

    /**
     * One certificate for every simulated BMC of this JVM, issued by the first caller: keytool takes a
     * second or two, and a test suite starts many BMCs.
     */
    public static synchronized SelfSignedCertificate forThisJvm() throws IOException {
        if (shared == null) {
            shared = issue();
        }
        return shared;
    }

    /**
     * Issues an EC P-256 certificate valid for two days in a temporary directory, loads it, and deletes
     * the directory.
     *
     * @throws IOException when keytool is missing or fails
     */
    public static SelfSignedCertificate issue() throws IOException {
        Path dir = Files.createTempDirectory("headroom-redfish-sim");
        Path store = dir.resolve("bmc.p12");
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "bmc",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost,O=Headroom simulated BMC",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                password,
                "-keypass",
                password);
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool failed: " + new String(output, StandardCharsets.UTF_8));
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password.toCharArray());
            }
            Certificate certificate = keys.getCertificate("bmc");
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, new SecureRandom());
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return new SelfSignedCertificate(context, pem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the certificate keytool made: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(dir);
        }
    }
}
