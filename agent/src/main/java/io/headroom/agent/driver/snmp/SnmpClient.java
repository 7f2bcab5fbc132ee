package io.headroom.agent.driver.snmp;

import io.headroom.agent.rawreply.RawReplyRecorder;
import io.headroom.config.SecretRef;
import io.headroom.config.SecretResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.snmp4j.AbstractTarget;
import org.snmp4j.CommunityTarget;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.ScopedPDU;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * {@link SnmpAccess} over UDP through the agent's shared {@link SnmpSession}, for one device. Requests
 * are sent asynchronously and waited for, so that {@link #close()} ends a request in flight at once.
 *
 * <p>The device's {@code timeout} bounds one request with all its retries: each try waits
 * {@code timeout / (retries + 1)}. Secrets are read by {@link #prepare()} before each poll or command,
 * so a rotated community file is picked up without a restart.
 */
final class SnmpClient implements SnmpAccess {

    private final java.util.function.Supplier<SnmpSession> sessionSource;
    private SnmpSession session;
    private final String host;
    private final int port;
    private final SnmpSettings settings;
    private final Duration timeout;
    private final SecretResolver secrets;
    private AbstractTarget<UdpAddress> target;
    private final SnmpUsmTarget usm = new SnmpUsmTarget();
    private volatile Pending pending;
    private final RawReplyRecorder replies;
    private volatile boolean closed;

    private record Pending(PDU request, ResponseListener listener, CompletableFuture<ResponseEvent<?>> future) {}

    /** @param sessionSource the agent's shared session, opened by the first poll, not before */
    SnmpClient(
            java.util.function.Supplier<SnmpSession> sessionSource,
            SnmpSettings settings,
            Duration timeout,
            SecretResolver secrets) {
        this(sessionSource, settings, timeout, secrets, RawReplyRecorder.NONE);
    }

    /** As the other constructor, keeping each PDU a poll sends and its answer, as text, in {@code replies}. */
    SnmpClient(
            java.util.function.Supplier<SnmpSession> sessionSource,
            SnmpSettings settings,
            Duration timeout,
            SecretResolver secrets,
            RawReplyRecorder replies) {
        this.replies = replies;
        this.sessionSource = sessionSource;
        this.host = settings.host();
        this.port = settings.port();
        this.settings = settings;
        this.timeout = timeout;
        this.secrets = secrets;
    }

    /**
     * Resolves the address and reads the secrets; called before each poll and command.
     *
     * @throws SnmpFault {@code credentials} when a secret cannot be read, {@code io-error} for an unknown host
     */
    void prepare() throws SnmpFault {
        if (session == null) {
            try {
                session = sessionSource.get();
            } catch (IllegalStateException e) {
                throw new SnmpFault(SnmpFault.CLOSED, "the agent's SNMP session is closed", true, e);
            } catch (java.io.UncheckedIOException e) {
                throw new SnmpFault(
                        SnmpFault.IO, e.getMessage() + ": " + e.getCause().getMessage(), true, e);
            }
        }
        UdpAddress address;
        try {
            address = new UdpAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new SnmpFault(SnmpFault.IO, "cannot resolve host " + host, true, e);
        }
        int tries = settings.retries() + 1;
        long perTry = Math.max(1, timeout.toMillis() / tries);
        if (settings.version() == SnmpVersion.V3) {
            SnmpV3Settings v3 = settings.v3().orElseThrow();
            OctetString auth =
                    v3.authPassphrase().isPresent() ? secret(v3.authPassphrase().get(), "auth-passphrase") : null;
            OctetString priv =
                    v3.privPassphrase().isPresent() ? secret(v3.privPassphrase().get(), "priv-passphrase") : null;
            target = usm.target(session.snmp(), session.protocols(), address, v3, auth, priv, timeout.toMillis());
        } else {
            CommunityTarget<UdpAddress> community = new CommunityTarget<>();
            community.setCommunity(secret(settings.community().orElseThrow(), "community"));
            target = community;
        }
        target.setAddress(address);
        target.setVersion(settings.version().code());
        target.setRetries(settings.retries());
        target.setTimeout(perTry);
    }

    private OctetString secret(SecretRef ref, String key) throws SnmpFault {
        try {
            char[] chars = secrets.resolve(ref);
            OctetString value = new OctetString(new String(chars));
            Arrays.fill(chars, '\0');
            return value;
        } catch (IOException e) {
            throw new SnmpFault(SnmpFault.CREDENTIALS, key + ": " + e.getMessage(), true, e);
        }
    }

    @Override
    public List<VariableBinding> get(List<OID> oids) throws SnmpFault, InterruptedException {
        List<OID> asked = new ArrayList<>(oids);
        List<VariableBinding> out = new ArrayList<>();
        List<OID> missing = new ArrayList<>();
        while (!asked.isEmpty()) {
            PDU request = pdu(PDU.GET);
            asked.forEach(oid -> request.add(new VariableBinding(oid)));
            PDU response = send(request);
            if (settings.version().isV1()
                    && response.getErrorStatus() == PDU.noSuchName
                    && response.getErrorIndex() >= 1
                    && response.getErrorIndex() <= asked.size()) {
                // v1 fails the whole PDU for one missing OID (RFC 1157 §4.1.2): ask again without it.
                missing.add(asked.remove(response.getErrorIndex() - 1));
                continue;
            }
            requireNoError(response, "GET");
            if (response.size() != asked.size()) {
                throw unexpected("GET of " + asked.size() + " OIDs answered with " + response.size() + " bindings");
            }
            for (int i = 0; i < asked.size(); i++) {
                VariableBinding binding = response.get(i);
                if (!binding.getOid().equals(asked.get(i))) {
                    throw unexpected("GET of " + asked.get(i) + " answered for " + binding.getOid());
                }
                out.add(binding);
            }
            break;
        }
        missing.forEach(oid -> out.add(new VariableBinding(oid, Null.noSuchObject)));
        return out;
    }

    @Override
    public List<VariableBinding> walk(OID column, int maxRows) throws SnmpFault, InterruptedException {
        List<VariableBinding> rows = new ArrayList<>();
        OID from = column;
        while (rows.size() < maxRows) {
            PDU request;
            if (settings.version().isV1()) {
                request = pdu(PDU.GETNEXT);
            } else {
                request = pdu(PDU.GETBULK);
                request.setNonRepeaters(0);
                request.setMaxRepetitions(Math.min(maxRows - rows.size(), maxRepetitions));
            }
            request.add(new VariableBinding(from));
            PDU response = send(request);
            if (settings.version().isV1() && response.getErrorStatus() == PDU.noSuchName) {
                return rows; // v1's end of the MIB view
            }
            requireNoError(response, "walk of " + column);
            if (response.size() == 0) {
                throw unexpected("walk of " + column + " answered with no bindings");
            }
            for (VariableBinding binding : response.getVariableBindings()) {
                if (binding.isException()
                        || !binding.getOid().startsWith(column)
                        || binding.getOid().size() == column.size()) {
                    return rows; // endOfMibView, or past the end of the column
                }
                if (binding.getOid().compareTo(from) <= 0) {
                    throw unexpected("walk of " + column + ": " + binding.getOid() + " does not follow " + from
                            + " (the agent's OIDs do not increase)");
                }
                rows.add(binding);
                from = binding.getOid();
                if (rows.size() >= maxRows) {
                    break;
                }
            }
        }
        return rows;
    }

    SnmpSettings settings() {
        return settings;
    }

    /** Set by the driver: the device's max-repetitions, else the profile's. */
    private int maxRepetitions = 24;

    void maxRepetitions(int value) {
        maxRepetitions = value;
    }

    @Override
    public void set(OID oid, Variable value) throws SnmpFault, InterruptedException {
        PDU request = pdu(PDU.SET);
        request.add(new VariableBinding(oid, value));
        PDU response = send(request);
        requireNoError(response, "SET of " + oid);
    }

    private PDU pdu(int type) {
        PDU pdu = settings.version() == SnmpVersion.V3
                ? new ScopedPDU()
                : settings.version().isV1() ? new PDUv1() : new PDU();
        if (pdu instanceof ScopedPDU scoped) {
            scoped.setContextName(new OctetString(settings.v3().orElseThrow().context()));
        }
        pdu.setType(type);
        return pdu;
    }

    /** Sends one PDU and waits for its answer; the recorder keeps both as text, or why none came. */
    private PDU send(PDU request) throws SnmpFault, InterruptedException {
        String asked = SnmpRawText.request(request);
        try {
            PDU response = exchange(request);
            replies.exchange(asked, SnmpRawText.response(response));
            return response;
        } catch (SnmpFault e) {
            replies.failed(asked, e.getMessage());
            throw e;
        }
    }

    private PDU exchange(PDU request) throws SnmpFault, InterruptedException {
        if (closed || session == null || session.isClosed()) {
            throw new SnmpFault(SnmpFault.CLOSED, "driver closed", true);
        }
        if (target == null) {
            throw new IllegalStateException("prepare() first");
        }
        UdpAddress peer = target.getAddress();
        long garbageBefore = session.garbageFrom(peer);
        CompletableFuture<ResponseEvent<?>> future = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicReference<SnmpUsmReport> reported =
                new java.util.concurrent.atomic.AtomicReference<>();
        ResponseListener listener = new ResponseListener() {
            @Override
            public <A extends org.snmp4j.smi.Address> void onResponse(ResponseEvent<A> event) {
                // An asynchronous request stays pending (and is re-sent) until cancelled.
                ((org.snmp4j.Session) event.getSource()).cancel(event.getRequest(), this);
                future.complete(event);
            }
        };
        pending = new Pending(request, listener, future);
        ResponseEvent<?> event;
        // An unauthenticated USM report (wrong digest, decryption error) ends the wait at once (D16).
        AutoCloseable watch = session.watchReports(peer, report -> {
            reported.compareAndSet(null, report);
            future.complete(null);
        });
        try {
            session.snmp().send(request, target, null, listener);
            long bound = target.getTimeout() * (target.getRetries() + 1) + 1000;
            event = future.get(bound, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new SnmpFault(SnmpFault.IO, "cannot send to " + peer + ": " + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            session.snmp().cancel(request, listener);
            throw e;
        } catch (ExecutionException e) {
            throw new SnmpFault(SnmpFault.CLOSED, "driver closed", true);
        } catch (TimeoutException e) {
            session.snmp().cancel(request, listener);
            event = null;
        } finally {
            pending = null;
            closeQuietly(watch);
        }
        if (closed) {
            throw new SnmpFault(SnmpFault.CLOSED, "driver closed", true);
        }
        if (event != null && event.getError() != null) {
            throw new SnmpFault(
                    SnmpFault.IO,
                    "request to " + peer + " failed: " + event.getError().getMessage(),
                    true,
                    event.getError());
        }
        PDU response = event == null ? null : event.getResponse();
        if (response == null && reported.get() != null) {
            session.snmp().cancel(request, listener);
            throw report(reported.get(), peer);
        }
        if (response == null) {
            long garbage = session.garbageFrom(peer) - garbageBefore;
            if (garbage == 0 && settings.version() == SnmpVersion.V3 && !closed) {
                java.util.Optional<SnmpFault> privacy =
                        usm.explainSilence(session.snmp(), settings.v3().orElseThrow(), target.getTimeout());
                if (privacy.isPresent()) {
                    throw privacy.get();
                }
            }
            throw silent(peer, garbage);
        }
        if (response.getType() == PDU.REPORT) {
            throw report(response, peer);
        }
        if (response.getType() != PDU.RESPONSE) {
            throw unexpected("answered with a " + PDU.getTypeString(response.getType()) + " PDU");
        }
        return response;
    }

    private SnmpFault silent(UdpAddress peer, long garbage) {
        String tries = (target.getRetries() + 1) + (target.getRetries() == 0 ? " try" : " tries");
        if (garbage > 0) {
            return new SnmpFault(
                    SnmpFault.BAD_RESPONSE,
                    "no valid SNMP reply from " + peer + " within " + timeout.toMillis() + " ms (" + tries + "); "
                            + garbage + " undecodable datagram(s) came from it instead",
                    true);
        }
        String hint = settings.version() == SnmpVersion.V3
                ? ""
                : "; an SNMP v" + (settings.version().isV1() ? "1" : "2c")
                        + " agent does not answer a wrong community at all, so check the community as well as"
                        + " the address and port";
        return new SnmpFault(
                SnmpFault.TIMEOUT,
                "no reply from " + peer + " within " + timeout.toMillis() + " ms (" + tries + ")" + hint,
                true);
    }

    /** A REPORT PDU delivered as the response: a USM refusal that SNMP4J did not resolve itself. */
    private SnmpFault report(PDU response, UdpAddress peer) {
        if (response.size() > 0) {
            OID oid = response.get(0).getOid();
            java.util.Optional<SnmpUsmReport> known = SnmpUsmReport.of(oid);
            if (known.isPresent()) {
                return report(known.get(), peer);
            }
            return new SnmpFault(SnmpFault.AUTH, peer + " refused the request with report " + oid, true);
        }
        return new SnmpFault(SnmpFault.AUTH, peer + " refused the request with an empty report", true);
    }

    private SnmpFault report(SnmpUsmReport report, UdpAddress peer) {
        if (report != SnmpUsmReport.UNKNOWN_USER && report != SnmpUsmReport.UNSUPPORTED_SECURITY_LEVEL) {
            usm.forgetEngine(); // a replaced card at the old address: discover its engine id again
        }
        String user = settings.v3()
                .map(v3 -> " (user " + v3.user() + ", auth " + v3.auth().name().toLowerCase(java.util.Locale.ROOT)
                        + ", priv " + v3.priv().name().toLowerCase(java.util.Locale.ROOT) + ")")
                .orElse("");
        return new SnmpFault(
                report.reason(), peer + " refused the SNMPv3 request" + user + ": " + report.explanation(), true);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            throw new IllegalStateException("unreachable: the report watch does not throw", e);
        }
    }

    private void requireNoError(PDU response, String what) throws SnmpFault {
        int status = response.getErrorStatus();
        if (status == PDU.noError) {
            return;
        }
        if (status == PDU.authorizationError) {
            throw new SnmpFault(
                    SnmpFault.AUTH,
                    what + " refused: " + SnmpErrorStatus.name(status)
                            + " (the community or user may not access this view)",
                    true);
        }
        String text = SnmpErrorStatus.name(status);
        String at = response.getErrorIndex() >= 1 && response.getErrorIndex() <= response.size()
                ? " at " + response.get(response.getErrorIndex() - 1).getOid()
                : "";
        throw new SnmpFault(SnmpFault.DEVICE_ERROR, what + " failed: " + text + at, false);
    }

    private SnmpFault unexpected(String message) {
        session.countUnexpected();
        return new SnmpFault(SnmpFault.BAD_RESPONSE, message, false);
    }

    /** Ends a request in flight at once (it reads as closed) and refuses further ones. Idempotent. */
    void close() {
        closed = true;
        Pending inFlight = pending;
        if (inFlight != null && session != null) {
            session.snmp().cancel(inFlight.request(), inFlight.listener());
            inFlight.future().completeExceptionally(new SnmpFault(SnmpFault.CLOSED, "driver closed", true));
        }
    }
}
