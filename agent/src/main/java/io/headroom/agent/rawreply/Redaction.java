package io.headroom.agent.rawreply;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from what a raw reply keeps: the values of JSON members and form or query fields
 * whose name says token, password, secret, session, cookie, authorization or key, and the
 * credentials of an {@code Authorization} header. What was removed reads {@code «redacted»}, so the
 * technician sees that a value was there.
 */
public final class Redaction {

    /** What a removed value reads. */
    public static final String REDACTED = "«redacted»";

    private static final String SECRET_NAME =
            "[A-Za-z0-9_.-]*(?:token|passw(?:or)?d|pwd|pass|secret|session|cookie|auth(?:orization)?|api[_-]?key|jwt)"
                    + "[A-Za-z0-9_.-]*";

    /** {@code "token": "abc"} or {@code "password":"x"}: the string value of a secret-named member. */
    private static final Pattern JSON_STRING =
            Pattern.compile("(\"" + SECRET_NAME + "\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"", Pattern.CASE_INSENSITIVE);

    /** {@code "token": 1234}: a number or bare word, as some firmware writes its session ids. */
    private static final Pattern JSON_BARE =
            Pattern.compile("(\"" + SECRET_NAME + "\"\\s*:\\s*)([0-9A-Za-z_.+/=-]+)", Pattern.CASE_INSENSITIVE);

    /** {@code password=x&…} in a form body or query. */
    private static final Pattern FORM_FIELD =
            Pattern.compile("(?<=^|[?&\\s])(" + SECRET_NAME + "=)[^&\\s]*", Pattern.CASE_INSENSITIVE);

    /** {@code Authorization: Basic …} / {@code Set-Cookie: …} header lines. */
    private static final Pattern HEADER = Pattern.compile(
            "(?im)^((?:proxy-)?authorization|set-cookie|cookie|x-auth-token|x-api-key|token)(\\s*:\\s*).*$");

    private Redaction() {}

    /** {@code text} with every secret value replaced by {@link #REDACTED}. */
    public static String redact(String text) {
        String out =
                JSON_STRING.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + '"' + REDACTED + '"'));
        out = JSON_BARE
                .matcher(out)
                .replaceAll(m -> Matcher.quoteReplacement(
                        m.group(2).equals("null")
                                        || m.group(2).equals("true")
                                        || m.group(2).equals("false")
                                ? m.group()
                                : m.group(1) + '"' + REDACTED + '"'));
        out = FORM_FIELD.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + REDACTED));
        return HEADER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + REDACTED));
    }
}
