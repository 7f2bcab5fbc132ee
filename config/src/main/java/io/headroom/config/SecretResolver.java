package io.headroom.config;

import java.io.IOException;

/**
 * Reads secrets from where a {@link SecretRef} says they are, at the moment they are needed, so that a
 * rotated password file is picked up on the next connect. The default implementation reads files and
 * {@code $CREDENTIALS_DIRECTORY}; tests pass their own.
 */
public interface SecretResolver {

    /**
     * The secret: the first line of the file, without its line ending.
     *
     * @throws IOException naming the file or credential when it is missing, unreadable or empty
     */
    char[] resolve(SecretRef ref) throws IOException;

    /** Files and systemd credentials of this process's environment. */
    static SecretResolver system() {
        throw new UnsupportedOperationException("config module: SecretResolver.system not implemented yet");
    }
}
