package io.headroom.simulator.gpu;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated BMC's accounts and sessions: one account, real random tokens, a bounded number of
 * sessions (as BMCs have; the oldest goes when full), and a log of deleted sessions for tests.
 */
final class RedfishSessions {

    /** Real BMCs allow a handful to a few dozen sessions. */
    static final int MAX_SESSIONS = 16;

    private final String username;
    private final String password;
    private final SecureRandom random = new SecureRandom();
    /** Session id → token. */
    private final Map<String, String> sessions = new LinkedHashMap<>();

    private final List<String> deleted = new ArrayList<>();
    private int created;

    RedfishSessions(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** True if the pair is the account's (compared in constant time). */
    boolean valid(String user, String pass) {
        // Both compared, whatever the first gives, so the time does not tell which one was wrong.
        boolean userMatches =
                MessageDigest.isEqual(user.getBytes(StandardCharsets.UTF_8), username.getBytes(StandardCharsets.UTF_8));
        boolean passwordMatches =
                MessageDigest.isEqual(pass.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
        return userMatches && passwordMatches;
    }

    /** A new session: its id and token. */
    synchronized String[] create() {
        if (sessions.size() >= MAX_SESSIONS) {
            String oldest = sessions.keySet().iterator().next();
            sessions.remove(oldest);
        }
        byte[] id = new byte[8];
        byte[] token = new byte[24];
        random.nextBytes(id);
        random.nextBytes(token);
        String sessionId = HexFormat.of().formatHex(id);
        String tokenText = HexFormat.of().formatHex(token);
        sessions.put(sessionId, tokenText);
        created++;
        return new String[] {sessionId, tokenText};
    }

    /** The session id of a token, if it is live. */
    synchronized Optional<String> session(String token) {
        for (Map.Entry<String, String> session : sessions.entrySet()) {
            if (MessageDigest.isEqual(
                    session.getValue().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(session.getKey());
            }
        }
        return Optional.empty();
    }

    /** Deletes a session; true if it existed. */
    synchronized boolean delete(String sessionId) {
        if (sessions.remove(sessionId) == null) {
            return false;
        }
        deleted.add(sessionId);
        return true;
    }

    /** Forgets every session without logging them as deleted, as a BMC's session timeout does. */
    synchronized void expireAll() {
        sessions.clear();
    }

    synchronized boolean exists(String sessionId) {
        return sessions.containsKey(sessionId);
    }

    synchronized List<String> ids() {
        return List.copyOf(sessions.keySet());
    }

    synchronized List<String> deleted() {
        return List.copyOf(deleted);
    }

    synchronized int created() {
        return created;
    }
}
