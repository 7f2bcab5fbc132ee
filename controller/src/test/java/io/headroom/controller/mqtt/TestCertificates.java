package io.headroom.controller.mqtt;

import io.headroom.testkit.TestPeers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away CA, server certificate (SAN IP 127.0.0.1) and client certificates, made with the
 * openssl CLI (Debian {@code openssl}) in a test's directory. EC P-256 keys, PKCS#8 PEM.
 */
final class TestCertificates {
    private final Path dir;
    private final Path openssl;

    TestCertificates(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        this.openssl = TestPeers.require("openssl", "openssl");
        run(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=headroom-test-ca");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        issue("server", "/CN=controller", "server.ext");
    }

    Path ca() {
        return dir.resolve("ca.pem");
    }

    Path cert(String name) {
        return dir.resolve(name + ".pem");
    }

    Path key(String name) {
        return dir.resolve(name + ".key");
    }

    MqttTls serverTls(boolean requireClientCertificate) {
        return new MqttTls(
                cert("server"), key("server"), requireClientCertificate ? ca() : null, requireClientCertificate);
    }

    /** A client certificate named {@code commonName}, signed by the CA; files {@code <file>.pem/.key/.p12}. */
    void client(String file, String commonName) throws IOException, InterruptedException {
        issue(file, "/CN=" + commonName, null);
        run(
                "pkcs12",
                "-export",
                "-in",
                file + ".pem",
                "-inkey",
                file + ".key",
                "-out",
                file + ".p12",
                "-passout",
                "pass:test");
    }

    /** An SSL context trusting the CA, presenting {@code clientFile}'s certificate if not null. */
    SSLContext clientContext(String clientFile) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(ca())) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientFile != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(clientFile + ".p12"))) {
                keys.load(in, "test".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "test".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private void issue(String file, String subject, String extensions) throws IOException, InterruptedException {
        run(
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                file + ".key",
                "-out",
                file + ".csr",
                "-subj",
                subject);
        List<String> sign = new ArrayList<>(List.of(
                "x509",
                "-req",
                "-in",
                file + ".csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                file + ".pem",
                "-days",
                "2"));
        if (extensions != null) {
            sign.addAll(List.of("-extfile", extensions));
        }
        run(sign.toArray(new String[0]));
    }

    private void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(openssl.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("openssl " + String.join(" ", args) + " failed: "
                    + Files.readString(dir.resolve("openssl.log"), StandardCharsets.UTF_8));
        }
    }
}
