package io.headroom.controller.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.headroom.controller.config.ExternalBrokerConfig.BrokerTls;
import io.headroom.testkit.TestPki;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of {@code mqtt.external.tls}: each one that cannot be used refused at start, naming its key and path. */
class BrokerTlsContextTest {

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static TestPki.Issued client;

    @BeforeAll
    static void makePki() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        client = pki.client("headroom-controller");
    }

    private static String refusal(BrokerTls tls) {
        IOException e = catchThrowableOfType(IOException.class, () -> BrokerTlsContext.socketFactory(Optional.of(tls)));
        assertThat(e).as("expected %s to be refused", tls).isNotNull();
        return e.getMessage();
    }

    private static BrokerTls mutual(Path cert, Path key) {
        return new BrokerTls(Optional.of(pki.ca()), Optional.of(cert), Optional.of(key));
    }

    @Test
    void usableFiles_giveASocketFactory_withAndWithoutClientCertificate_andWithoutAnyFile() throws Exception {
        assertThat(BrokerTlsContext.socketFactory(Optional.of(BrokerTls.trusting(pki.ca()))))
                .isNotNull();
        assertThat(BrokerTlsContext.socketFactory(Optional.of(mutual(client.cert(), client.key()))))
                .isNotNull();
        assertThat(BrokerTlsContext.socketFactory(Optional.empty())).isNotNull();
    }

    @Test
    void caFileMissing_refusedNamingKeyAndFile() {
        Path missing = dir.resolve("missing.pem");
        assertThat(refusal(BrokerTls.trusting(missing)))
                .isEqualTo("mqtt.external.tls.ca-file " + missing + ": does not exist or is not readable");
        assertThat(refusal(BrokerTls.trusting(dir)))
                .as("a directory")
                .isEqualTo("mqtt.external.tls.ca-file " + dir + ": does not exist or is not readable");
    }

    @Test
    void caFileNotCertificates_refusedNamingKeyAndFile() throws Exception {
        Path text = Files.writeString(dir.resolve("ca.txt"), "this is not a certificate\n", StandardCharsets.UTF_8);
        assertThat(refusal(BrokerTls.trusting(text))).startsWith("mqtt.external.tls.ca-file " + text + ": not PEM");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "", StandardCharsets.UTF_8);
        assertThat(refusal(BrokerTls.trusting(empty)))
                .isEqualTo("mqtt.external.tls.ca-file " + empty + ": holds no certificate ('BEGIN CERTIFICATE')");
        // A key where the CA belongs: PEM, but no certificate.
        assertThat(refusal(BrokerTls.trusting(client.key())))
                .startsWith("mqtt.external.tls.ca-file " + client.key() + ": ");
    }

    @Test
    void clientCertificateOrKeyUnusable_refusedNamingTheFiles() throws Exception {
        Path missing = dir.resolve("missing.key");
        assertThat(refusal(mutual(client.cert(), missing)))
                .isEqualTo("mqtt.external.tls.key-file " + missing + ": does not exist or is not readable");
        // openssl's traditional (PKCS#1) RSA key: the JDK reads PKCS#8 only.
        pki.openssl("rsa", "-in", client.key().toString(), "-traditional", "-out", "pkcs1.key");
        Path pkcs1 = pki.dir().resolve("pkcs1.key");
        assertThat(refusal(mutual(client.cert(), pkcs1)))
                .startsWith("mqtt.external.tls.cert-file " + client.cert() + " with key-file " + pkcs1
                        + ": cannot be used: ")
                .endsWith("(PEM expected; the key unencrypted PKCS#8, 'BEGIN PRIVATE KEY')");
    }
}
