package io.headroom.controller.mqtt;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a presented username and password against the {@link CredentialStore} off the event loop.
 *
 * <p>PBKDF2 costs about 100 ms on purpose, so it runs on {@code executor}, never on an I/O thread.
 * Successful checks are remembered, keyed by username and an HMAC-SHA256 of the presented password
 * under a random key that lives only in this process: a reconnect storm of many agents costs a
 * microsecond each, and the cache holds nothing from which a password could be recovered offline.
 * Failures are never cached (a later correct password must still work). An unknown username is
 * checked against a dummy hash so that its answer takes as long as a wrong password's.
 *
 * <p>Two lanes (decision D19): checks for a username that is an agent principal run on
 * {@code agentExecutor}, everything else (observers, unknown usernames) on {@code otherExecutor},
 * each with its own bounded queue. A flood of made-up usernames therefore fills only the other
 * lane and is answered "server busy" there, while agents' reconnects keep being checked. At most
 * {@code maxInFlightPerUser} checks of one username are queued or running at once, so guesses at
 * one agent's password cannot fill the agent lane for every other agent.
 */
final class CredentialVerifier {
    private static final int MAX_CACHED = 10_000;

    private final CredentialStore store;
    private final Executor agentExecutor;
    private final Executor otherExecutor;
    private final int maxInFlightPerUser;
    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final SecretKeySpec cacheKey;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private final PasswordHash dummy;

    /** One lane for everything, no per-user bound: for tests that check on the calling thread. */
    CredentialVerifier(CredentialStore store, Executor executor) {
        this(store, executor, executor, Integer.MAX_VALUE);
    }

    CredentialVerifier(CredentialStore store, Executor agentExecutor, Executor otherExecutor, int maxInFlightPerUser) {
        this.store = store;
        this.agentExecutor = agentExecutor;
        this.otherExecutor = otherExecutor;
        this.maxInFlightPerUser = maxInFlightPerUser;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
        // As costly as the store's strongest hash, so an unknown user is not told apart by timing.
        this.dummy = PasswordHash.create("not-a-password".toCharArray(), store.maxIterations());
    }

    /**
     * Completes with the principal if the password matches, empty if not; exceptionally with
     * {@link java.util.concurrent.RejectedExecutionException} when the executor is saturated.
     * Takes ownership of {@code password} and wipes it.
     */
    CompletableFuture<Optional<Credential>> verify(String username, byte[] password) {
        return verify(username, password, () -> true);
    }

    /**
     * As {@link #verify(String, byte[])}; a queued check whose {@code stillWanted} is false by the
     * time it runs (the client hung up) is skipped without hashing and completes empty, so a flood
     * that connects, sends CONNECT and leaves costs nothing once it left.
     */
    CompletableFuture<Optional<Credential>> verify(String username, byte[] password, BooleanSupplier stillWanted) {
        if (username == null || password == null || password.length == 0) {
            wipe(password);
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String cacheEntry = username + '\0' + keyedDigest(password);
        Optional<Credential> credential = store.find(username);
        if (credential.isPresent() && verified.contains(cacheEntry)) {
            wipe(password);
            return CompletableFuture.completedFuture(credential);
        }
        if (credential.isEmpty()) {
            return submit(otherExecutor, credential, password, cacheEntry, stillWanted);
        }
        AtomicInteger count = inFlight.computeIfAbsent(username, u -> new AtomicInteger());
        if (count.incrementAndGet() > maxInFlightPerUser) {
            count.decrementAndGet();
            wipe(password);
            return CompletableFuture.failedFuture(new RejectedExecutionException(
                    maxInFlightPerUser + " password checks for '" + username + "' already pending"));
        }
        Executor lane = credential.get().role() == Role.AGENT ? agentExecutor : otherExecutor;
        CompletableFuture<Optional<Credential>> result = submit(lane, credential, password, cacheEntry, stillWanted);
        result.whenComplete((ignored, error) -> count.decrementAndGet());
        return result;
    }

    private CompletableFuture<Optional<Credential>> submit(
            Executor lane,
            Optional<Credential> credential,
            byte[] password,
            String cacheEntry,
            BooleanSupplier stillWanted) {
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        if (!stillWanted.getAsBoolean()) {
                            wipe(password);
                            return Optional.<Credential>empty();
                        }
                        return check(credential, password, cacheEntry);
                    },
                    lane);
        } catch (RejectedExecutionException e) {
            wipe(password);
            return CompletableFuture.failedFuture(e);
        }
    }

    CredentialStore store() {
        return store;
    }

    private Optional<Credential> check(Optional<Credential> credential, byte[] password, String cacheEntry) {
        char[] chars = decodeUtf8(password);
        wipe(password);
        try {
            if (credential.isEmpty()) {
                dummy.verify(chars);
                return Optional.empty();
            }
            if (!credential.get().hash().verify(chars)) {
                return Optional.empty();
            }
            if (verified.size() >= MAX_CACHED) {
                verified.clear();
            }
            verified.add(cacheEntry);
            return credential;
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private String keyedDigest(byte[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            return Base64.getEncoder().encodeToString(mac.doFinal(password));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    /** MQTT passwords are binary; ours are UTF-8 text. Bytes that are not UTF-8 can never match. */
    private static char[] decodeUtf8(byte[] password) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(password));
            char[] result = new char[chars.remaining()];
            chars.get(result);
            Arrays.fill(chars.array(), '\0');
            return result;
        } catch (CharacterCodingException e) {
            return new char[0];
        }
    }

    private static void wipe(byte[] bytes) {
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
