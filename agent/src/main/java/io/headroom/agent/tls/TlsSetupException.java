package io.headroom.agent.tls;

import java.io.IOException;

/**
 * A TLS file that cannot be used: missing, unreadable, not PEM, the wrong key format, or a key
 * that does not belong to its certificate. The message names the config key and the file, and
 * says how to fix it. Thrown at start-up, before anything connects.
 */
public final class TlsSetupException extends IOException {
    private static final long serialVersionUID = 1L;

    TlsSetupException(String message) {
        super(message);
    }

    TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
