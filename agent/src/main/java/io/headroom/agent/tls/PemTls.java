package io.headroom.agent.tls;

import io.headroom.agent.config.TlsSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
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
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the MQTT client's {@link SSLSocketFactory} from PEM files with the JDK alone
 * ({@link CertificateFactory}, {@link KeyFactory} with {@link PKCS8EncodedKeySpec}): no Bouncy
 * Castle, no keystore files to convert. Offers TLS 1.3 and 1.2 only. Hostname verification is not
 * done here: the socket's endpoint identification does it (see {@code MqttPublisher}).
 *
 * <p>Keys must be unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}), RSA or EC. The JDK cannot read
 * PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), SEC1 ({@code BEGIN EC PRIVATE KEY}) or encrypted keys
 * without extra code, so they are refused with the one-line {@code openssl pkcs8} conversion.
 */
public final class PemTls {
    /** Offered newest first. Older versions are never offered, whatever {@code java.security} allows. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** The in-memory key store needs some password; it never leaves this class. */
    private static final char[] STORE_PASSWORD = "headroom".toCharArray();

    private PemTls() {}

    /**
     * The socket factory for {@code tls}: its CAs (or the JDK's default trust store) and its
     * client certificate, if any.
     *
     * @throws TlsSetupException naming the key and file that cannot be used, and how to fix it
     */
    public static SSLSocketFactory socketFactory(TlsSettings tls) throws TlsSetupException {
        TrustManager[] trust = trustManagers(tls);
        KeyManager[] keys = null;
        if (tls.hasClientCertificate()) {
            Path certFile = tls.certFile().orElseThrow();
            Path keyFile = tls.keyFile().orElseThrow();
            List<X509Certificate> chain = certificates("mqtt.tls.cert-file", certFile);
            PrivateKey key = privateKey("mqtt.tls.key-file", keyFile);
            requireMatch(key, chain.get(0), keyFile, certFile);
            keys = keyManagers(key, chain);
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, new SecureRandom());
            return new ProtocolLimitedSocketFactory(context.getSocketFactory(), PROTOCOLS);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /**
     * Every certificate of a PEM file, in file order; at least one.
     *
     * @param key the config key, for messages
     */
    public static List<X509Certificate> certificates(String key, Path file) throws TlsSetupException {
        List<Block> blocks = blocks(key, file);
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
        for (Block block : blocks) {
            if (!block.type().equals("CERTIFICATE")) {
                continue;
            }
            byte[] der = block.decode(key, file, certificates.size() + 1);
            try {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException e) {
                throw new TlsSetupException(
                        key + " " + file + ": certificate " + (certificates.size() + 1)
                                + " is not a valid X.509 certificate: " + e.getMessage(),
                        e);
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsSetupException(key + " " + file + ": no certificate in it (expected PEM blocks "
                    + "-----BEGIN CERTIFICATE-----" + found(blocks) + ")");
        }
        return certificates;
    }

    /**
     * The private key of a PEM file: unencrypted PKCS#8, RSA or EC. Other formats are refused with
     * the command that converts them.
     *
     * @param key the config key, for messages
     */
    public static PrivateKey privateKey(String key, Path file) throws TlsSetupException {
        List<Block> blocks = blocks(key, file);
        Block block = blocks.stream()
                .filter(b -> b.type().endsWith("PRIVATE KEY"))
                .findFirst()
                .orElseThrow(() -> new TlsSetupException(key + " " + file + ": no private key in it (expected "
                        + "-----BEGIN PRIVATE KEY-----" + found(blocks) + ")"));
        String fix = "; the agent reads unencrypted PKCS#8 keys only (-----BEGIN PRIVATE KEY-----): convert it with "
                + "`openssl pkcs8 -topk8 -nocrypt -in " + file + " -out " + pk8Name(file) + "`";
        boolean legacyEncrypted = block.body().contains("Proc-Type: 4,ENCRYPTED");
        switch (block.type()) {
            case "PRIVATE KEY":
                break;
            case "ENCRYPTED PRIVATE KEY":
                throw new TlsSetupException(key + " " + file + ": the key is encrypted (-----BEGIN ENCRYPTED "
                        + "PRIVATE KEY-----)" + fix + " and protect the file by its permissions instead");
            case "RSA PRIVATE KEY":
                throw new TlsSetupException(key + " " + file + ": the key is in PKCS#1 format (-----BEGIN RSA "
                        + "PRIVATE KEY-----)" + (legacyEncrypted ? " and encrypted" : "") + fix);
            case "EC PRIVATE KEY":
                throw new TlsSetupException(key + " " + file + ": the key is in SEC1 format (-----BEGIN EC "
                        + "PRIVATE KEY-----)" + (legacyEncrypted ? " and encrypted" : "") + fix);
            default:
                throw new TlsSetupException(
                        key + " " + file + ": a " + block.type() + " block is not a key the " + "agent reads" + fix);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(block.decode(key, file, 1));
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException notThisOne) {
                // Try the next algorithm.
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK has no " + algorithm + " key factory", e);
            }
        }
        throw new TlsSetupException(
                key + " " + file + ": the PKCS#8 key is neither an RSA nor an EC key, " + "or it is damaged");
    }

    /** Signs with the key and verifies with the certificate: a key of another pair fails. */
    private static void requireMatch(PrivateKey key, X509Certificate certificate, Path keyFile, Path certFile)
            throws TlsSetupException {
        String mismatch = "mqtt.tls.key-file " + keyFile + " does not belong to the certificate in mqtt.tls.cert-file "
                + certFile + " (" + certificate.getSubjectX500Principal().getName() + ")";
        String certAlgorithm = certificate.getPublicKey().getAlgorithm();
        if (!key.getAlgorithm().equals(certAlgorithm)) {
            throw new TlsSetupException(
                    mismatch + ": the key is " + key.getAlgorithm() + ", the certificate's is " + certAlgorithm);
        }
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw new TlsSetupException(mismatch);
            }
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(mismatch + ": " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trustManagers(TlsSettings tls) throws TlsSetupException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (tls.caFile().isEmpty()) {
                factory.init((KeyStore) null); // The JDK's default trust store (cacerts).
                return factory.getTrustManagers();
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            List<X509Certificate> cas =
                    certificates("mqtt.tls.ca-file", tls.caFile().get());
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException | IOException e) {
            if (e instanceof TlsSetupException setup) {
                throw setup;
            }
            throw new TlsSetupException("cannot set up the TLS trust store: " + e.getMessage(), e);
        }
    }

    private static KeyManager[] keyManagers(PrivateKey key, List<X509Certificate> chain) throws TlsSetupException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setKeyEntry("client", key, STORE_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, STORE_PASSWORD);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsSetupException("cannot set up the TLS client certificate: " + e.getMessage(), e);
        }
    }

    private static List<Block> blocks(String key, Path file) throws TlsSetupException {
        String text;
        try {
            // Latin-1 maps every byte, so a DER or binary file reads as "not PEM" instead of failing to decode.
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsSetupException(key + " " + file + " does not exist", e);
        } catch (IOException e) {
            throw new TlsSetupException(key + " " + file + " cannot be read: " + e, e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            blocks.add(new Block(m.group(1), m.group(2)));
        }
        if (blocks.isEmpty()) {
            throw new TlsSetupException(key + " " + file + ": not a PEM file (no -----BEGIN …----- block)");
        }
        return blocks;
    }

    private static String found(List<Block> blocks) {
        return "; found "
                + String.join(", ", blocks.stream().map(Block::type).distinct().toList());
    }

    private static String pk8Name(Path file) {
        String name = file.getFileName().toString();
        String stem = name.endsWith(".pem") || name.endsWith(".key") ? name.substring(0, name.length() - 4) : name;
        Path target = Path.of(stem + ".pk8.pem");
        return file.getParent() == null
                ? target.toString()
                : file.getParent().resolve(target).toString();
    }

    /** One {@code -----BEGIN type----- … -----END type-----} block. */
    private record Block(String type, String body) {
        byte[] decode(String key, Path file, int index) throws TlsSetupException {
            try {
                return Base64.getMimeDecoder().decode(body.strip());
            } catch (IllegalArgumentException e) {
                throw new TlsSetupException(
                        key + " " + file + ": " + type + " block " + index + " is not valid base64: " + e.getMessage(),
                        e);
            }
        }
    }
}
