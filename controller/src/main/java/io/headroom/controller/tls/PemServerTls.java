package io.headroom.controller.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A listener's server-side TLS context from PEM files: a certificate chain and an unencrypted PKCS#8
 * key (RSA or EC), the way OpenSSL 3 and certbot write them, and for client certificates the CA bundle
 * that signs them. TLS 1.3 and 1.2 only. Both listeners (the MQTT endpoint's {@code mqtt.tls}, the HTTP
 * API's {@code http.tls}) load theirs here, so a file is read, and a failure worded, the same way for
 * both: every failure names the config key, the file and what to do. The agent's {@code PemTls} does the
 * same for the client side; the two modules share no code (agent and controller never depend on each
 * other).
 */
public final class PemServerTls {
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private final String key;

    private PemServerTls(String key) {
        this.key = key;
    }

    /**
     * The context of one listener.
     *
     * @param configKey the block the files come from, as problems name it: {@code mqtt.tls}, {@code http.tls}
     * @param clientCaFile CA bundle for client certificates; {@code null} asks for none
     * @param requireClientCertificate refuse a client without a certificate from {@code clientCaFile}
     *     (with it but not this, a certificate is checked when one is offered)
     * @throws IOException naming the key, the file and the fix when a file is missing or does not parse
     */
    public static SslContext context(
            String configKey,
            Path certFile,
            Path keyFile,
            @Nullable Path clientCaFile,
            boolean requireClientCertificate)
            throws IOException {
        if (requireClientCertificate && clientCaFile == null) {
            throw new IllegalArgumentException(configKey + ": client certificates required without a client CA");
        }
        PemServerTls pem = new PemServerTls(configKey);
        List<X509Certificate> chain = pem.certificates(certFile, "cert-file");
        PrivateKey privateKey = pem.privateKey(keyFile);
        List<X509Certificate> clientCas =
                clientCaFile == null ? List.of() : pem.certificates(clientCaFile, "client-ca-file");
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(privateKey, chain.toArray(new X509Certificate[0]))
                    .protocols(PROTOCOLS);
            if (clientCaFile != null) {
                builder.trustManager(clientCas.toArray(new X509Certificate[0]))
                        .clientAuth(requireClientCertificate ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            return builder.build();
        } catch (IOException | RuntimeException e) {
            throw new IOException(
                    configKey + ": cannot use " + certFile + " with " + keyFile
                            + (clientCaFile == null ? "" : " and client CA " + clientCaFile) + ": " + e.getMessage(),
                    e);
        }
    }

    private List<X509Certificate> certificates(Path file, String what) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(file, what)) {
                if (block.type.equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der)));
                }
            }
        } catch (CertificateException e) {
            throw new IOException(key + "." + what + " " + file + ": not a valid certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(key + "." + what + " " + file + ": no -----BEGIN CERTIFICATE----- block");
        }
        return chain;
    }

    private PrivateKey privateKey(Path file) throws IOException {
        List<Block> blocks = blocks(file, "key-file");
        for (Block block : blocks) {
            switch (block.type) {
                case "PRIVATE KEY":
                    return pkcs8(file, block.der);
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                case "ENCRYPTED PRIVATE KEY":
                    throw new IOException(key + ".key-file " + file + ": a '" + block.type
                            + "' block; the controller reads unencrypted PKCS#8 keys (-----BEGIN PRIVATE KEY-----):"
                            + " convert with openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
                default:
                    break;
            }
        }
        throw new IOException(key + ".key-file " + file + ": no -----BEGIN PRIVATE KEY----- block");
    }

    private PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                // try the next algorithm
            } catch (GeneralSecurityException e) {
                throw new IOException(key + ".key-file " + file + ": " + e.getMessage(), e);
            }
        }
        throw new IOException(key + ".key-file " + file + ": neither an RSA nor an EC PKCS#8 key");
    }

    private List<Block> blocks(Path file, String what) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException(key + "." + what + " " + file + ": does not exist or is not readable");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException(key + "." + what + " " + file + ": cannot be read: " + e.getMessage(), e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IOException(
                        key + "." + what + " " + file + ": a " + matcher.group(1) + " block is not valid base64", e);
            }
        }
        return blocks;
    }

    private record Block(String type, byte[] der) {}
}
