package io.headroom.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with the {@code openssl} CLI (Debian package {@code openssl}):
 * a CA, a second CA that has nothing to do with it, and leaf certificates signed by either. Keys
 * come out as PKCS#8, as OpenSSL 3 writes them. A missing {@code openssl} skips the test, unless
 * {@code -Dheadroom.peers=required}.
 */
public final class TestPki {
    private final Path openssl;
    private final Path dir;
    private final Path ca;
    private final Path otherCa;

    private TestPki(Path openssl, Path dir) throws IOException, InterruptedException {
        this.openssl = openssl;
        this.dir = dir;
        this.ca = newCa("ca", "Headroom Test CA");
        this.otherCa = newCa("other-ca", "Unrelated Test CA");
    }

    /** Makes both CAs in {@code dir}. */
    public static TestPki create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        return new TestPki(TestPeers.require("openssl", "openssl", Path.of("/usr/bin/openssl")), dir);
    }

    /** The CA's certificate (PEM). */
    public Path ca() {
        return ca;
    }

    /** A CA that signed none of this PKI's {@link #server} and {@link #client} certificates. */
    public Path otherCa() {
        return otherCa;
    }

    /** A certificate and its PKCS#8 key. */
    public record Issued(Path cert, Path key) {}

    /** A server certificate signed by {@link #ca()}, e.g. {@code server("broker", "IP:127.0.0.1", "DNS:localhost")}. */
    public Issued server(String name, String... subjectAltNames) throws IOException, InterruptedException {
        return issue(name, "ca", "ec", "serverAuth", subjectAltNames);
    }

    /** A client certificate (RSA key) signed by {@link #ca()}. */
    public Issued client(String name) throws IOException, InterruptedException {
        return issue(name, "ca", "rsa", "clientAuth");
    }

    /** A client certificate signed by {@link #otherCa()}. */
    public Issued clientOfOtherCa(String name) throws IOException, InterruptedException {
        return issue(name, "other-ca", "rsa", "clientAuth");
    }

    /** Runs {@code openssl} with these arguments in the PKI's directory. */
    public void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(openssl.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("openssl did not finish: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException(
                    command + " failed (" + process.exitValue() + "): " + new String(output, StandardCharsets.UTF_8));
        }
    }

    public Path dir() {
        return dir;
    }

    private Path newCa(String name, String commonName) throws IOException, InterruptedException {
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                name + ".key",
                "-out",
                name + ".pem",
                "-days",
                "2",
                "-subj",
                "/CN=" + commonName,
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign");
        return dir.resolve(name + ".pem");
    }

    private Issued issue(String name, String issuer, String keyType, String usage, String... subjectAltNames)
            throws IOException, InterruptedException {
        List<String> newKey = keyType.equals("rsa")
                ? List.of("-newkey", "rsa:2048")
                : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
        List<String> req = new ArrayList<>(List.of("req", "-new"));
        req.addAll(newKey);
        req.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name));
        openssl(req.toArray(new String[0]));
        StringBuilder ext = new StringBuilder("basicConstraints=critical,CA:FALSE\n"
                + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=" + usage + "\n");
        if (subjectAltNames.length > 0) {
            ext.append("subjectAltName=")
                    .append(String.join(",", subjectAltNames))
                    .append('\n');
        }
        Files.writeString(dir.resolve(name + ".ext"), ext, StandardCharsets.US_ASCII);
        openssl(
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                issuer + ".pem",
                "-CAkey",
                issuer + ".key",
                "-CAcreateserial",
                "-CAserial",
                issuer + ".srl",
                "-days",
                "2",
                "-extfile",
                name + ".ext",
                "-out",
                name + ".pem");
        return new Issued(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }
}
