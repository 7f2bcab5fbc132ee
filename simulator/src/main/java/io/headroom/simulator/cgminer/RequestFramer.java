package io.headroom.simulator.cgminer;

/**
 * Finds where one CGMiner API request ends in the bytes read so far from a connection.
 *
 * <p>A request starting with {@code {} is JSON and ends at its balancing {@code }} (braces inside strings
 * are skipped). Anything else is the plain-text {@code cmd|param} form, which cgminer takes from a single
 * {@code recv()}: it ends at the first newline or NUL, else at the end of the bytes read so far.
 * Public so that test doubles of a miner frame requests exactly as the simulator does.
 */
public final class RequestFramer {
    /** Largest request accepted; a longer one is answered as invalid. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;

    private RequestFramer() {}

    /**
     * Returns the length of a complete request at the start of {@code buf[0, len)}, {@code -1} when more bytes
     * are needed, or {@code 0} when the stream ended with nothing but white space.
     */
    public static int completeLength(byte[] buf, int len, boolean endOfStream) {
        int i = 0;
        while (i < len && isSpace(buf[i])) {
            i++;
        }
        if (i == len) {
            return endOfStream ? 0 : -1;
        }
        if (buf[i] != '{') {
            for (int j = i; j < len; j++) {
                if (buf[j] == '\n' || buf[j] == 0) {
                    return j;
                }
            }
            return len;
        }
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int j = i; j < len; j++) {
            byte c = buf[j];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return j + 1;
                }
            }
        }
        return endOfStream || len >= MAX_REQUEST_BYTES ? len : -1;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}
