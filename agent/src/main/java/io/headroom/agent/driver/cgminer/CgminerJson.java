package io.headroom.agent.driver.cgminer;

import java.util.Locale;

/**
 * Repairs the malformed JSON that CGMiner-family firmwares send (reference/DEVICES.md §4.1,
 * the quirks pyasic's {@code _load_api_data} handles), so that a strict JSON parser can read it.
 * A pure function: no I/O, no state.
 *
 * <p>Rather than string replacements (which would also rewrite text inside strings), the input is
 * scanned once as JSON tokens with a container stack. Handled:
 * <ul>
 *   <li>NUL bytes (CGMiner terminates replies with {@code \x00}) are dropped;
 *   <li>a trailing comma before {@code }} or {@code ]} is dropped ({@code ,}} / {@code ,]});
 *   <li>a comma where no element precedes it is dropped ({@code [,{}, a leading {@code ,});
 *   <li>a missing comma between two elements is inserted ({@code }{}, Whatsminer's
 *       {@code ""temp0} which is {@code "",}{@code "temp0});
 *   <li>raw control characters inside strings (embedded newlines) are escaped;
 *   <li>{@code inf}, {@code nan} (bare or quoted, any case, signed) become {@code null}: a value
 *       that is missing, never a number;
 *   <li>a truncated reply loses its last incomplete member and gets its open brackets closed.
 * </ul>
 * Anything else that is not JSON is copied as it is, for the parser to reject.
 */
public final class CgminerJson {

    private CgminerJson() {}

    /** Result of a repair: the JSON text, and whether the input ended before its last bracket. */
    public record Repaired(String json, boolean truncated) {}

    /** Returns the repaired JSON text. */
    public static String repair(String raw) {
        return repairDetailed(raw).json();
    }

    private static final int TOP = 0; // expecting the top-level value
    private static final int KEY = 1; // in an object, expecting a key or '}'
    private static final int COLON = 2; // after a key
    private static final int VALUE = 3; // after ':'
    private static final int ELEMENT = 4; // in an array, expecting a value or ']'
    private static final int AFTER = 5; // after a value inside a container
    private static final int DONE = 6; // top-level value complete

    /** Repairs and reports truncation. */
    public static Repaired repairDetailed(String raw) {
        Scanner scanner = new Scanner(raw);
        scanner.run();
        return new Repaired(scanner.out.toString(), scanner.truncated);
    }

    private static final class Scanner {
        private final String in;
        private final StringBuilder out;
        private boolean[] objects = new boolean[16]; // container stack: true = object
        private int depth;
        private int state = TOP;
        private boolean pendingComma;
        private int checkpointLength;
        private int checkpointDepth;
        private boolean truncated;
        private int pos;

        Scanner(String in) {
            this.in = in;
            this.out = new StringBuilder(in.length() + 16);
        }

        void run() {
            while (pos < in.length() && state != DONE) {
                char c = in.charAt(pos);
                if (c == '\0' || Character.isWhitespace(c)) {
                    pos++;
                } else if (c == '{' || c == '[') {
                    pos++;
                    beginValue();
                    out.append(c);
                    push(c == '{');
                    checkpoint();
                } else if (c == '}' || c == ']') {
                    pos++;
                    close(c);
                } else if (c == ',') {
                    pos++;
                    comma();
                } else if (c == ':') {
                    pos++;
                    if (state == COLON) {
                        state = VALUE;
                    }
                    out.append(':');
                } else if (c == '"') {
                    string();
                } else {
                    literal();
                }
            }
            if (state == DONE) {
                String rest = in.substring(pos);
                if (!rest.chars().allMatch(ch -> ch == 0 || Character.isWhitespace(ch))) {
                    out.append(rest); // left for the parser to reject
                }
                return;
            }
            if (depth > 0) {
                truncated = true;
                out.setLength(checkpointLength);
                for (int d = checkpointDepth - 1; d >= 0; d--) {
                    out.append(objects[d] ? '}' : ']');
                }
            }
        }

        private void push(boolean object) {
            if (depth == objects.length) {
                objects = java.util.Arrays.copyOf(objects, depth * 2);
            }
            objects[depth++] = object;
            state = object ? KEY : ELEMENT;
        }

        private void checkpoint() {
            checkpointLength = out.length();
            checkpointDepth = depth;
        }

        /** Called before a value or key is written: emits a pending or missing comma. */
        private void beginValue() {
            if (pendingComma || state == AFTER) {
                out.append(',');
                pendingComma = false;
                if (state == AFTER) {
                    state = objects[depth - 1] ? KEY : ELEMENT;
                }
            }
        }

        /** A value just ended: the container now expects ',' or its end. */
        private void endValue(boolean terminated) {
            state = depth == 0 ? DONE : AFTER;
            if (terminated) {
                checkpoint();
            }
        }

        private void comma() {
            if (state == AFTER) {
                pendingComma = true;
                state = objects[depth - 1] ? KEY : ELEMENT;
            } else if (state != KEY && state != ELEMENT && state != TOP) {
                out.append(','); // e.g. "a":, — not a known quirk; let the parser reject it
            }
            // else: ",," or "[,{" or a leading comma: nothing precedes it, so drop it
        }

        private void close(char c) {
            boolean object = c == '}';
            boolean fits =
                    depth > 0 && objects[depth - 1] == object && (state == AFTER || state == (object ? KEY : ELEMENT));
            if (!fits) {
                out.append(c);
                return;
            }
            pendingComma = false;
            out.append(c);
            depth--;
            endValue(true);
        }

        private void string() {
            pos++; // opening quote
            StringBuilder text = new StringBuilder();
            boolean closed = false;
            while (pos < in.length()) {
                char c = in.charAt(pos++);
                if (c == '\\' && pos < in.length()) {
                    text.append(c).append(in.charAt(pos++));
                } else if (c == '"') {
                    closed = true;
                    break;
                } else if (c == '\n') {
                    text.append("\\n");
                } else if (c == '\r') {
                    text.append("\\r");
                } else if (c == '\t') {
                    text.append("\\t");
                } else if (c == '\0') {
                    continue;
                } else if (c < 0x20) {
                    text.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    text.append(c);
                }
            }
            if (!closed) {
                pos = in.length(); // truncated inside a string: run() falls back to the checkpoint
                return;
            }
            boolean key = state == KEY || (state == AFTER && objects[depth - 1]);
            beginValue();
            if (key) {
                out.append('"').append(text).append('"');
                state = COLON;
                return;
            }
            if (isNonFinite(text.toString())) {
                out.append("null");
            } else {
                out.append('"').append(text).append('"');
            }
            endValue(true);
        }

        private void literal() {
            int start = pos;
            while (pos < in.length() && !isDelimiter(in.charAt(pos))) {
                pos++;
            }
            String word = in.substring(start, pos);
            boolean terminated = pos < in.length();
            if (state == KEY || (state == AFTER && depth > 0 && objects[depth - 1])) {
                out.append(word); // an unquoted key: not a known quirk
                return;
            }
            beginValue();
            out.append(isNonFinite(word) ? "null" : word);
            endValue(terminated);
        }

        private static boolean isDelimiter(char c) {
            return c == ','
                    || c == ':'
                    || c == '{'
                    || c == '}'
                    || c == '['
                    || c == ']'
                    || c == '"'
                    || c == '\0'
                    || Character.isWhitespace(c);
        }

        private static boolean isNonFinite(String word) {
            String w = word.toLowerCase(Locale.ROOT);
            if (w.startsWith("-") || w.startsWith("+")) {
                w = w.substring(1);
            }
            return w.equals("inf") || w.equals("infinity") || w.equals("nan");
        }
    }
}
