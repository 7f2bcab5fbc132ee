package io.headroom.agent.driver.antminer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code Digest} challenge of a {@code WWW-Authenticate} header (RFC 7616 §3.3), parsed from the
 * RFC 7235 auth-param syntax: {@code name=token} or {@code name="quoted string"}, comma separated.
 *
 * @param realm the protection space, e.g. {@code antMiner Configuration}
 * @param nonce the server's nonce
 * @param opaque returned unchanged when present
 * @param algorithm {@code MD5} (the default when absent), {@code SHA-256}, {@code SHA-512-256}, or one of
 *     those with {@code -sess}
 * @param qops the qop values offered ({@code auth}, {@code auth-int}); empty for an RFC 2069 challenge
 * @param stale true when the previous request's credentials were right but its nonce had expired
 */
record DigestChallenge(
        String realm, String nonce, Optional<String> opaque, String algorithm, List<String> qops, boolean stale) {

    /** Longest header value parsed: a challenge is a few hundred bytes. */
    static final int MAX_HEADER_CHARS = 4096;

    DigestChallenge {
        qops = List.copyOf(qops);
    }

    /**
     * The first Digest challenge among a response's {@code WWW-Authenticate} values (a server may also offer
     * Basic, in the same header or another one), preferring SHA-256 over MD5 when both are offered.
     *
     * @throws IllegalArgumentException naming what is wrong when no usable Digest challenge is there
     */
    static DigestChallenge select(List<String> headerValues) {
        List<DigestChallenge> found = new ArrayList<>();
        String problem = "no Digest challenge in WWW-Authenticate";
        for (String value : headerValues) {
            if (value.length() > MAX_HEADER_CHARS) {
                problem = "WWW-Authenticate is over " + MAX_HEADER_CHARS + " characters";
                continue;
            }
            for (Map<String, String> params : challenges(value, "digest")) {
                String realm = params.get("realm");
                String nonce = params.get("nonce");
                if (realm == null || nonce == null || nonce.isEmpty()) {
                    problem = "the Digest challenge has no " + (realm == null ? "realm" : "nonce");
                    continue;
                }
                List<String> qops = new ArrayList<>();
                String qop = params.get("qop");
                if (qop != null) {
                    for (String q : qop.split(",")) {
                        if (!q.isBlank()) {
                            qops.add(q.strip().toLowerCase(Locale.ROOT));
                        }
                    }
                }
                found.add(new DigestChallenge(
                        realm,
                        nonce,
                        Optional.ofNullable(params.get("opaque")),
                        params.getOrDefault("algorithm", "MD5"),
                        qops,
                        "true".equalsIgnoreCase(params.get("stale"))));
            }
        }
        for (DigestChallenge challenge : found) {
            if (challenge.algorithm().toUpperCase(Locale.ROOT).startsWith("SHA-256")) {
                return challenge;
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException(problem);
        }
        return found.get(0);
    }

    /**
     * The parameters of every challenge of {@code scheme} in one header value. A new challenge starts at a
     * token followed by a space and a parameter (or the end), as RFC 7235's grammar makes it.
     */
    static List<Map<String, String>> challenges(String value, String scheme) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> current = null;
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && (value.charAt(i) == ',' || value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < n && isTokenChar(value.charAt(i))) {
                i++;
            }
            if (i == start) {
                i++; // a character that cannot start anything: skip it
                continue;
            }
            String token = value.substring(start, i);
            int j = i;
            while (j < n && (value.charAt(j) == ' ' || value.charAt(j) == '\t')) {
                j++;
            }
            if (j < n && value.charAt(j) == '=') {
                j++;
                while (j < n && (value.charAt(j) == ' ' || value.charAt(j) == '\t')) {
                    j++;
                }
                StringBuilder param = new StringBuilder();
                if (j < n && value.charAt(j) == '"') {
                    j++;
                    while (j < n && value.charAt(j) != '"') {
                        char c = value.charAt(j);
                        if (c == '\\' && j + 1 < n) {
                            j++;
                            c = value.charAt(j);
                        }
                        param.append(c);
                        j++;
                    }
                    j++; // closing quote (or past the end of a cut value)
                } else {
                    while (j < n && isTokenChar(value.charAt(j)) || j < n && value.charAt(j) == '/') {
                        param.append(value.charAt(j));
                        j++;
                    }
                }
                if (current != null) {
                    current.putIfAbsent(token.toLowerCase(Locale.ROOT), param.toString());
                }
                i = j;
            } else {
                current = token.equalsIgnoreCase(scheme) ? new LinkedHashMap<>() : null;
                if (current != null) {
                    out.add(current);
                }
                i = j;
            }
        }
        return out;
    }

    private static boolean isTokenChar(char c) {
        return c > ' ' && c < 127 && "()<>@,;:\\\"/[]?={} \t".indexOf(c) < 0;
    }
}
