package io.headroom.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headroom.agent.config.TlsSettings;
import io.headroom.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM reading and the socket factory, on files made by the openssl CLI. */
class PemTlsTest {
    @TempDir
    Path dir;

    private TestPki pki;
    private TestPki.Issued client;

    @BeforeEach
    void makePki() throws Exception {
        pki = TestPki.create(dir);
        client = pki.client("rack-1");
    }

    private static TlsSettings tls(Path ca, Path cert, Path key) {
        return new TlsSettings(Optional.ofNullable(ca), Optional.ofNullable(cert), Optional.ofNullable(key));
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    @Test
    void socketFactory_caAndClientPair_offersTls13And12Only() throws Exception {
        SSLSocketFactory factory = PemTls.socketFactory(tls(pki.ca(), client.cert(), client.key()));

        try (SSLSocket socket = (SSLSocket) factory.createSocket()) {
            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        }
    }

    @Test
    void socketFactory_noCaFile_usesTheDefaultTrustStore_andStillLimitsProtocols() throws Exception {
        SSLSocketFactory factory = PemTls.socketFactory(TlsSettings.DEFAULTS);

        try (SSLSocket socket = (SSLSocket) factory.createSocket()) {
            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        }
    }

    @Test
    void certificates_bundleOfTwoCas_readsBothInOrder() throws Exception {
        Path bundle = write("bundle.pem", Files.readString(pki.ca()) + "\n" + Files.readString(pki.otherCa()));

        List<X509Certificate> cas = PemTls.certificates("mqtt.tls.ca-file", bundle);

        assertThat(cas)
                .extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=Headroom Test CA", "CN=Unrelated Test CA");
    }

    @Test
    void certificates_missingFile_namesKeyAndFile() {
        Path missing = dir.resolve("nope.pem");

        assertThatThrownBy(() -> PemTls.socketFactory(tls(missing, null, null)))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage("mqtt.tls.ca-file " + missing + " does not exist");
    }

    @Test
    void certificates_keyFileGivenAsCa_saysWhatWasFound() {
        assertThatThrownBy(() -> PemTls.socketFactory(tls(client.key(), null, null)))
                .hasMessage("mqtt.tls.ca-file " + client.key() + ": no certificate in it (expected PEM blocks "
                        + "-----BEGIN CERTIFICATE-----; found PRIVATE KEY)");
    }

    @Test
    void certificates_notPem_isRefused() throws Exception {
        Path der = Files.write(dir.resolve("ca.der"), new byte[] {0x30, (byte) 0x82, 0x01, 0x0a, (byte) 0xff});

        assertThatThrownBy(() -> PemTls.certificates("mqtt.tls.ca-file", der))
                .hasMessage("mqtt.tls.ca-file " + der + ": not a PEM file (no -----BEGIN …----- block)");
    }

    @Test
    void certificates_damagedBody_namesTheCertificate() throws Exception {
        Path bad = write("bad.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> PemTls.certificates("mqtt.tls.cert-file", bad))
                .hasMessageStartingWith(
                        "mqtt.tls.cert-file " + bad + ": certificate 1 is not a valid X.509 certificate");
    }

    @Test
    void privateKey_pkcs8RsaAndEc_areRead() throws Exception {
        TestPki.Issued server = pki.server("broker", "IP:127.0.0.1");

        PrivateKey rsa = PemTls.privateKey("mqtt.tls.key-file", client.key());
        PrivateKey ec = PemTls.privateKey("mqtt.tls.key-file", server.key());

        assertThat(rsa.getAlgorithm()).isEqualTo("RSA");
        assertThat(ec.getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void privateKey_pkcs1_refusedWithTheConversionCommand_whichWorks() throws Exception {
        pki.openssl("rsa", "-in", client.key().toString(), "-traditional", "-out", "pkcs1.pem");
        Path pkcs1 = dir.resolve("pkcs1.pem");
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        assertThatThrownBy(() -> PemTls.socketFactory(tls(pki.ca(), client.cert(), pkcs1)))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage("mqtt.tls.key-file " + pkcs1 + ": the key is in PKCS#1 format (-----BEGIN RSA PRIVATE "
                        + "KEY-----); the agent reads unencrypted PKCS#8 keys only (-----BEGIN PRIVATE KEY-----): "
                        + "convert it with `openssl pkcs8 -topk8 -nocrypt -in " + pkcs1 + " -out "
                        + dir.resolve("pkcs1.pk8.pem") + "`");

        pki.openssl("pkcs8", "-topk8", "-nocrypt", "-in", pkcs1.toString(), "-out", "pkcs1.pk8.pem");
        PemTls.socketFactory(tls(pki.ca(), client.cert(), dir.resolve("pkcs1.pk8.pem")));
    }

    @Test
    void privateKey_sec1Ec_refusedWithTheConversionCommand() throws Exception {
        TestPki.Issued server = pki.server("broker", "IP:127.0.0.1");
        pki.openssl("ec", "-in", server.key().toString(), "-out", "sec1.pem");
        Path sec1 = dir.resolve("sec1.pem");

        assertThatThrownBy(() -> PemTls.privateKey("mqtt.tls.key-file", sec1))
                .hasMessageStartingWith("mqtt.tls.key-file " + sec1 + ": the key is in SEC1 format (-----BEGIN EC "
                        + "PRIVATE KEY-----)")
                .hasMessageContaining("`openssl pkcs8 -topk8 -nocrypt -in " + sec1 + " -out ");
    }

    @Test
    void privateKey_encryptedPkcs8_refused() throws Exception {
        pki.openssl("pkcs8", "-topk8", "-in", client.key().toString(), "-passout", "pass:secret", "-out", "enc.pem");
        Path encrypted = dir.resolve("enc.pem");

        assertThatThrownBy(() -> PemTls.privateKey("mqtt.tls.key-file", encrypted))
                .hasMessageStartingWith("mqtt.tls.key-file " + encrypted + ": the key is encrypted (-----BEGIN "
                        + "ENCRYPTED PRIVATE KEY-----)")
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + encrypted)
                .hasMessageEndingWith("and protect the file by its permissions instead");
    }

    @Test
    void privateKey_legacyEncryptedPkcs1_saysBoth() throws Exception {
        pki.openssl(
                "rsa",
                "-in",
                client.key().toString(),
                "-traditional",
                "-aes128",
                "-passout",
                "pass:secret",
                "-out",
                "enc1.pem");
        Path encrypted = dir.resolve("enc1.pem");

        assertThatThrownBy(() -> PemTls.privateKey("mqtt.tls.key-file", encrypted))
                .hasMessageStartingWith("mqtt.tls.key-file " + encrypted + ": the key is in PKCS#1 format (-----BEGIN "
                        + "RSA PRIVATE KEY-----) and encrypted; ");
    }

    @Test
    void socketFactory_keyOfAnotherPair_refusedNamingBothFiles() throws Exception {
        TestPki.Issued other = pki.client("rack-2");

        assertThatThrownBy(() -> PemTls.socketFactory(tls(pki.ca(), client.cert(), other.key())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessage("mqtt.tls.key-file " + other.key() + " does not belong to the certificate in "
                        + "mqtt.tls.cert-file " + client.cert() + " (CN=rack-1)");
    }

    @Test
    void socketFactory_ecKeyForRsaCertificate_refused() throws Exception {
        TestPki.Issued server = pki.server("broker", "IP:127.0.0.1");

        assertThatThrownBy(() -> PemTls.socketFactory(tls(pki.ca(), client.cert(), server.key())))
                .hasMessage("mqtt.tls.key-file " + server.key() + " does not belong to the certificate in "
                        + "mqtt.tls.cert-file " + client.cert()
                        + " (CN=rack-1): the key is EC, the certificate's is RSA");
    }

    @Test
    void socketFactory_certFileWithoutCertificate_namesCertFile() {
        assertThatThrownBy(() -> PemTls.socketFactory(tls(pki.ca(), client.key(), client.key())))
                .hasMessageStartingWith("mqtt.tls.cert-file " + client.key() + ": no certificate in it");
    }
}
