package io.headroom.config;

import java.io.IOException;
import java.util.function.Function;

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
        return new SystemSecretResolver(System::getenv);
    }

    /**
     * Files, and systemd credentials under the {@code CREDENTIALS_DIRECTORY} that {@code environment}
     * gives (null for unset), for tests and for callers that keep their own environment.
     */
    static SecretResolver withEnvironment(Function<String, String> environment) {
        return new SystemSecretResolver(environment);
    }
}
