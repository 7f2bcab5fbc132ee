package io.headroom.controller.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The principals allowed to connect to the endpoint. Immutable.
 *
 * <h2>File format</h2>
 * UTF-8 text, one principal per line:
 * <pre>
 * # username   role      hash (from `headroom hash-password`)
 * rack-a01     agent     pbkdf2-sha256$210000$&lt;salt base64&gt;$&lt;hash base64&gt;
 * grafana      observer  pbkdf2-sha256$210000$...
 * utility-ems  grid      pbkdf2-sha256$210000$...
 * </pre>
 * Fields are separated by whitespace; {@code #} starts a comment that runs to the end of the line;
 * blank lines are ignored. The role is {@code agent}, {@code observer} or {@code grid}. An agent's username is
 * its agent id (letters, digits, {@code . _ -}, at most 64 characters, not {@code controller}).
 * A username may appear once. Plain passwords are never stored.
 */
public final class CredentialStore {
    private final Map<String, Credential> byUsername;

    private CredentialStore(Map<String, Credential> byUsername) {
        this.byUsername = Map.copyOf(byUsername);
    }

    /**
     * Reads a credentials file.
     *
     * @throws IOException if it cannot be read, or listing every bad line as {@code file:line: problem}
     */
    public static CredentialStore load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Credential> credentials = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String content = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = content.split("\\s+");
            String problem = null;
            Credential credential = null;
            if (fields.length != 3) {
                problem = "expected '<username> <role> <hash>', found " + fields.length + " field(s)";
            } else {
                Role role = Role.fromFileName(fields[1]);
                if (role == null) {
                    problem = "role '" + fields[1] + "' is none of 'agent', 'observer', 'grid', 'price'";
                } else {
                    try {
                        credential = new Credential(fields[0], role, PasswordHash.parse(fields[2]));
                    } catch (IllegalArgumentException e) {
                        problem = e.getMessage();
                    }
                }
            }
            if (credential != null) {
                Integer previous = firstLine.putIfAbsent(credential.username(), lineNumber);
                if (previous != null) {
                    problem = "duplicate username '" + credential.username() + "' (first on line " + previous + ")";
                } else {
                    credentials.put(credential.username(), credential);
                }
            }
            if (problem != null) {
                problems.add(file + ":" + lineNumber + ": " + problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException("invalid credentials file " + file + ":\n  " + String.join("\n  ", problems));
        }
        return new CredentialStore(credentials);
    }

    /**
     * Builds a store from credentials held in memory.
     *
     * @throws IllegalArgumentException on a duplicate username
     */
    public static CredentialStore of(List<Credential> credentials) {
        Map<String, Credential> byUsername = new HashMap<>();
        for (Credential credential : credentials) {
            Objects.requireNonNull(credential, "credentials: null element");
            if (byUsername.putIfAbsent(credential.username(), credential) != null) {
                throw new IllegalArgumentException("credentials: duplicate username '" + credential.username() + "'");
            }
        }
        return new CredentialStore(byUsername);
    }

    public Optional<Credential> find(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(byUsername.get(username));
    }

    /** Every principal, by username (for the broker ACL that external broker mode needs). */
    public List<Credential> credentials() {
        return byUsername.values().stream()
                .sorted(java.util.Comparator.comparing(Credential::username))
                .toList();
    }

    /** Number of principals. */
    public int size() {
        return byUsername.size();
    }

    /** The highest iteration count of any hash, or the minimum when empty. */
    int maxIterations() {
        return byUsername.values().stream()
                .mapToInt(c -> c.hash().iterations())
                .max()
                .orElse(PasswordHash.MIN_ITERATIONS);
    }

    @Override
    public String toString() {
        return "CredentialStore[" + byUsername.size() + " principals]";
    }
}
