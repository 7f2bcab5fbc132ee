package io.headroom.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.headroom.agent.config.TlsSettings;
import io.headroom.testkit.TestPki;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sentences for the JDK's real handshake failures: a client socket from {@link PemTls}, set
 * up as Paho sets it up (SNI, endpoint identification "HTTPS"), against an in-JVM TLS server on
 * a loopback port.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HandshakeFailureTest {
    @TempDir
    Path dir;

    private TestPki pki;
    private TestPki.Issued server;
    private final ExecutorService serverThread = Executors.newSingleThreadExecutor();
    private ServerSocket listening;

    @BeforeEach
    void makePki() throws Exception {
        pki = TestPki.create(dir);
        server = pki.server("broker", "IP:127.0.0.1", "DNS:localhost");
    }

    @AfterEach
    void stop() throws Exception {
        if (listening != null) {
            listening.close();
        }
        serverThread.shutdownNow();
    }

    private static TlsSettings trusting(Path ca) {
        return new TlsSettings(Optional.of(ca), Optional.empty(), Optional.empty());
    }

    /** A TLS server with this certificate that closes the connection after one handshake. */
    private int tlsServer(TestPki.Issued identity, boolean needClientAuth) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        List<X509Certificate> chain = PemTls.certificates("server", identity.cert());
        keys.setKeyEntry(
                "server",
                PemTls.privateKey("server", identity.key()),
                "pw".toCharArray(),
                chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "pw".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PemTls.certificates("ca", pki.ca()).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLServerSocket socket = (SSLServerSocket)
                context.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        socket.setNeedClientAuth(needClientAuth);
        listening = socket;
        serverThread.execute(() -> {
            try (Socket accepted = socket.accept()) {
                ((SSLSocket) accepted).startHandshake();
            } catch (IOException expectedForFailedHandshakes) {
                // The client learns why from the alert.
            }
        });
        return socket.getLocalPort();
    }

    /** Connects, handshakes and reads, as Paho does up to the CONNACK. */
    private static Throwable connect(int port, TlsSettings tls) throws Exception {
        SSLSocket socket = (SSLSocket) PemTls.socketFactory(tls).createSocket();
        return catchThrowable(() -> {
            try (socket) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(10_000);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName("127.0.0.1")));
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                // TLS 1.3 judges the client's certificate after the client's handshake is done: the
                // refusal arrives as an alert on the first read. (Writing first would race the
                // server's close and could end in a broken pipe instead of the alert.)
                socket.getInputStream().read();
            }
        });
    }

    private static Optional<String> describe(Throwable failure, int port, TlsSettings tls) {
        return HandshakeFailure.describe(failure, "127.0.0.1:" + port, "127.0.0.1", tls);
    }

    @Test
    void rightCaAndName_handshakeSucceeds() throws Exception {
        int port = tlsServer(server, false);

        assertThat(connect(port, trusting(pki.ca())))
                .as("handshake done, then end of stream")
                .isNull();
    }

    @Test
    void wrongCa_notTrustedByTheCaFile() throws Exception {
        int port = tlsServer(server, false);
        TlsSettings tls = trusting(pki.otherCa());

        assertThat(describe(connect(port, tls), port, tls))
                .hasValue("TLS handshake with 127.0.0.1:" + port
                        + " failed: server certificate is not trusted by the CA in " + pki.otherCa());
    }

    @Test
    void noCaFile_notTrustedByTheDefaultStore_saysWhichKeyToSet() throws Exception {
        int port = tlsServer(server, false);

        assertThat(describe(connect(port, TlsSettings.DEFAULTS), port, TlsSettings.DEFAULTS))
                .hasValue("TLS handshake with 127.0.0.1:" + port
                        + " failed: server certificate is not trusted by the JDK's "
                        + "default trust store (set mqtt.tls.ca-file to the CA that signed it)");
    }

    @Test
    void certificateForAnotherName_hostnameVerificationRefuses() throws Exception {
        int port = tlsServer(pki.server("elsewhere", "DNS:other.example"), false);
        TlsSettings tls = trusting(pki.ca());

        assertThat(describe(connect(port, tls), port, tls))
                .hasValue("TLS handshake with 127.0.0.1:" + port
                        + " failed: server certificate does not match 127.0.0.1 (hostname verification): "
                        + "No subject alternative names matching IP address 127.0.0.1 found");
    }

    @Test
    void serverNeedsClientCertificate_noneConfigured_saysWhichKeysToSet() throws Exception {
        int port = tlsServer(server, true);

        assertThat(describe(connect(port, trusting(pki.ca())), port, trusting(pki.ca())))
                .hasValueSatisfying(sentence -> assertThat(sentence)
                        .startsWith("TLS handshake with 127.0.0.1:" + port
                                + " failed: the broker requires a client certificate (alert ")
                        .endsWith("); set mqtt.tls.cert-file and mqtt.tls.key-file"));
    }

    @Test
    void serverNeedsClientCertificate_oneOfAnotherCa_saysItWasRefused() throws Exception {
        int port = tlsServer(server, true);
        TestPki.Issued stranger = pki.clientOfOtherCa("stranger");
        TlsSettings tls =
                new TlsSettings(Optional.of(pki.ca()), Optional.of(stranger.cert()), Optional.of(stranger.key()));

        Throwable failure = connect(port, tls);
        assertThat(describe(failure, port, tls))
                .as("%s", failure)
                .hasValueSatisfying(sentence -> assertThat(sentence)
                        .startsWith("TLS handshake with 127.0.0.1:" + port + " failed: the broker refused the client "
                                + "certificate in " + stranger.cert() + " (alert "));
    }

    @Test
    void plaintextListener_saysSoAndWhatTcpWouldMean() throws Exception {
        ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listening = plain;
        serverThread.execute(() -> {
            try (Socket accepted = plain.accept()) {
                accepted.getOutputStream().write("not tls at all, just bytes\n".getBytes(StandardCharsets.US_ASCII));
                accepted.getInputStream().read();
            } catch (IOException ignored) {
                // Done.
            }
        });
        int port = plain.getLocalPort();

        assertThat(describe(connect(port, trusting(pki.ca())), port, trusting(pki.ca())))
                .hasValue("TLS handshake with 127.0.0.1:" + port
                        + " failed: the endpoint did not answer in TLS (a plaintext "
                        + "listener? then its URL is tcp://, and the password would cross the network in the clear)");
    }

    @Test
    void resetRightAfterTheHandshake_namesTheLikelyCertificateRefusal() {
        TlsSettings tls = new TlsSettings(Optional.of(pki.ca()), Optional.of(server.cert()), Optional.of(server.key()));

        assertThat(HandshakeFailure.describe(
                        new IOException("MQTT", new java.net.SocketException("Broken pipe")),
                        "127.0.0.1:1",
                        "127.0.0.1",
                        tls))
                .hasValue("TLS connection with 127.0.0.1:1 ended before the broker "
                        + "answered CONNECT (java.net.SocketException: Broken pipe); under TLS 1.3 this is how a broker "
                        + "refuses a client certificate: check that the certificate in " + server.cert()
                        + " is signed by a CA the broker accepts");
        assertThat(HandshakeFailure.describe(
                        new java.io.EOFException(), "127.0.0.1:1", "127.0.0.1", TlsSettings.DEFAULTS))
                .hasValueSatisfying(sentence -> assertThat(sentence)
                        .endsWith("check whether it requires one (mqtt.tls.cert-file and mqtt.tls.key-file)"));
    }

    @Test
    void notATlsFailure_isNotDescribed() {
        assertThat(HandshakeFailure.describe(
                        new IOException("MQTT", new ConnectException("Connection refused")),
                        "127.0.0.1:1",
                        "127.0.0.1",
                        TlsSettings.DEFAULTS))
                .isEmpty();
    }
}
