package io.headroom.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a secret is kept: never the secret itself. Written in YAML as a mapping with exactly one of
 * {@code file: /etc/headroom/rack-a1.password} (relative paths resolve against the config file's
 * directory) or {@code credential: mqtt-password} (a systemd credential, read from
 * {@code $CREDENTIALS_DIRECTORY/<name>}). A plain string where a SecretRef is expected is refused
 * ("secrets are never written inline").
 */
public sealed interface SecretRef permits SecretRef.File, SecretRef.Credential {

    /** A file whose first line is the secret. */
    record File(Path path) implements SecretRef {
        public File {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A systemd credential by name ({@code LoadCredential=} / {@code SetCredentialEncrypted=}). */
    record Credential(String name) implements SecretRef {
        public Credential {
            Objects.requireNonNull(name, "name");
        }
    }
}
