package io.headroom.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads a secret's first line from a file or from {@code $CREDENTIALS_DIRECTORY/<name>}. Only the
 * first {@value #MAX_BYTES} bytes are read, so a reference to a huge file (or {@code /dev/zero})
 * cannot exhaust memory; the buffers that held the secret are cleared afterwards.
 */
final class SystemSecretResolver implements SecretResolver {

    static final int MAX_BYTES = 64 * 1024;
    private static final Pattern CREDENTIAL = Pattern.compile("[A-Za-z0-9_.-]{1,255}");

    private final Function<String, String> environment;

    SystemSecretResolver(Function<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public char[] resolve(SecretRef ref) throws IOException {
        if (ref instanceof SecretRef.File) {
            return firstLine(((SecretRef.File) ref).path(), "secret file " + ((SecretRef.File) ref).path());
        }
        String name = ((SecretRef.Credential) ref).name();
        if (!CREDENTIAL.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IOException("'" + name + "' is not a systemd credential name");
        }
        String directory = environment.apply("CREDENTIALS_DIRECTORY");
        if (directory == null || directory.isBlank()) {
            throw new IOException("systemd credential '" + name + "' needs $CREDENTIALS_DIRECTORY (start the service"
                    + " with LoadCredential=" + name + ":...)");
        }
        return firstLine(
                Path.of(directory, name), "systemd credential '" + name + "' (" + Path.of(directory, name) + ")");
    }

    private static char[] firstLine(Path path, String what) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_BYTES);
        } catch (NoSuchFileException e) {
            throw new IOException(what + " does not exist", e);
        } catch (IOException e) {
            throw new IOException(what + " cannot be read: " + e.getMessage(), e);
        }
        CharBuffer chars = null;
        try {
            chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            int end = 0;
            while (end < chars.length() && chars.get(end) != '\n' && chars.get(end) != '\r') {
                end++;
            }
            if (end == chars.length() && bytes.length == MAX_BYTES) {
                throw new IOException(what + " has no line end in its first " + MAX_BYTES + " bytes");
            }
            if (end == 0) {
                throw new IOException(what + " is empty");
            }
            char[] secret = new char[end];
            chars.get(0, secret);
            return secret;
        } catch (CharacterCodingException e) {
            throw new IOException(what + " is not UTF-8 text", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (chars != null && chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
        }
    }
}
