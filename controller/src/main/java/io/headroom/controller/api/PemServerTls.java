package io.headroom.controller.api;

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

/**
 * The HTTP API's server-side TLS context from PEM files: a certificate chain and an unencrypted
 * PKCS#8 key (RSA or EC), the way OpenSSL 3 and certbot write them. TLS 1.3 and 1.2 only. Every
 * failure names the file and what to do. The agent's {@code PemTls} does the same for the client
 * side; the two modules share no code (agent and controller never depend on each other).
 */
final class PemServerTls {
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private PemServerTls() {}

    static SslContext context(ApiSecurity.TlsFiles files) throws IOException {
        List<X509Certificate> chain = certificates(files.certFile());
        PrivateKey key = privateKey(files.keyFile());
        try {
            return SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                    .protocols(PROTOCOLS)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new IOException(
                    "http.tls: cannot use " + files.certFile() + " with " + files.keyFile() + ": " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(file)) {
                if (block.type.equals("CERTIFICATE")) {
                    chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der)));
                }
            }
        } catch (CertificateException e) {
            throw new IOException("http.tls.cert-file " + file + ": not a valid certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException("http.tls.cert-file " + file + ": no -----BEGIN CERTIFICATE----- block");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        List<Block> blocks = blocks(file);
        for (Block block : blocks) {
            switch (block.type) {
                case "PRIVATE KEY":
                    return pkcs8(file, block.der);
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                case "ENCRYPTED PRIVATE KEY":
                    throw new IOException("http.tls.key-file " + file + ": a '" + block.type
                            + "' block; the controller reads unencrypted PKCS#8 keys (-----BEGIN PRIVATE KEY-----):"
                            + " convert with openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
                default:
                    break;
            }
        }
        throw new IOException("http.tls.key-file " + file + ": no -----BEGIN PRIVATE KEY----- block");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (InvalidKeySpecException e) {
                // try the next algorithm
            } catch (GeneralSecurityException e) {
                throw new IOException("http.tls.key-file " + file + ": " + e.getMessage(), e);
            }
        }
        throw new IOException("http.tls.key-file " + file + ": neither an RSA nor an EC PKCS#8 key");
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("http.tls: cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IOException(
                        "http.tls: " + file + ": a " + matcher.group(1) + " block is not valid base64", e);
            }
        }
        return blocks;
    }

    private record Block(String type, byte[] der) {}
}
