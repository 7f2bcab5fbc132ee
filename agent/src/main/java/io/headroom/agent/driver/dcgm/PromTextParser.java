package io.headroom.agent.driver.dcgm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, the format dcgm-exporter serves.
 * Java has no maintained parser of this format on Maven Central (the Prometheus Java client's
 * {@code prometheus-metrics-exposition-textformats} only writes it), so this is ours, kept to the
 * written format and nothing more:
 *
 * <ul>
 *   <li>lines end with a line feed, the last one too: a body whose last line has none was cut short,
 *       and that line is an error, never a number read from half its digits;
 *   <li>blank lines are ignored; leading and trailing blanks and tabs are ignored; {@code #} lines are
 *       comments unless they are {@code # HELP name text} or {@code # TYPE name type};
 *   <li>a metric family has at most one HELP and one TYPE line, and its TYPE comes before its first
 *       sample; types are counter, gauge, histogram, summary and untyped;
 *   <li>a sample is {@code name[{label="value",…}] value [timestamp]}: names
 *       {@code [a-zA-Z_:][a-zA-Z0-9_:]*}, label names {@code [a-zA-Z_][a-zA-Z0-9_]*} given once each,
 *       label values with the escapes {@code \\ \" \n} only, an optional trailing comma and blanks
 *       between label tokens (dcgm-exporter's README writes {@code {gpu="0", UUID="…"}});
 *   <li>values are decimal floats or {@code NaN}, {@code +Inf}, {@code -Inf} (Go's spellings, any
 *       case); Java-only spellings ({@code 1d}, {@code 0x1p3}, {@code Infinity} with a suffix) are
 *       refused; the time stamp is an int64 of milliseconds.
 * </ul>
 *
 * A line that breaks a rule becomes one message in {@link PromExposition#errors()} and the other
 * lines still parse; whether a body with errors is usable is the caller's decision. Never throws on
 * any input.
 */
public final class PromTextParser {

    /** Messages kept in an exposition's errors; later ones are counted in the last message. */
    static final int MAX_ERRORS = 20;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern INF = Pattern.compile("(?i)[+-]?inf(?:inity)?");
    private static final Pattern NAN = Pattern.compile("(?i)nan");
    private static final Pattern TIMESTAMP = Pattern.compile("-?[0-9]{1,19}");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private final List<PromSample> samples = new ArrayList<>();
    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();
    private final Set<String> sampled = new HashSet<>();
    private final List<String> errors = new ArrayList<>();
    private int errorCount;

    private PromTextParser() {}

    /** Parses a whole body (already decoded as UTF-8). */
    public static PromExposition parse(String body) {
        PromTextParser parser = new PromTextParser();
        parser.run(body);
        return new PromExposition(parser.samples, parser.types, parser.help, parser.errorList());
    }

    private void run(String body) {
        int start = 0;
        int lineNumber = 0;
        while (start < body.length()) {
            lineNumber++;
            int end = body.indexOf('\n', start);
            if (end < 0) {
                error(lineNumber, "the body ends without a line feed; this last line was cut short and is dropped");
                return;
            }
            line(lineNumber, body.substring(start, end));
            start = end + 1;
        }
    }

    private void line(int number, String raw) {
        String line = strip(raw);
        if (line.isEmpty()) {
            return;
        }
        if (line.indexOf('\r') >= 0) {
            error(number, "carriage return in a line (lines end with a line feed only)");
            return;
        }
        try {
            if (line.charAt(0) == '#') {
                comment(number, line);
            } else {
                sample(number, line);
            }
        } catch (LineException e) {
            error(number, e.getMessage());
        }
    }

    private void comment(int number, String line) throws LineException {
        Cursor c = new Cursor(line, 1);
        c.blanks();
        String keyword = c.token();
        if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
            return; // a plain comment
        }
        if (!c.blanks()) {
            throw new LineException("# " + keyword + " needs a metric name");
        }
        String name = c.token();
        if (!NAME.matcher(name).matches()) {
            throw new LineException("# " + keyword + ": '" + shorten(name) + "' is not a metric name");
        }
        boolean separated = c.blanks();
        String rest = c.rest();
        if (!rest.isEmpty() && !separated) {
            throw new LineException("# " + keyword + ": '" + shorten(name + rest) + "' is not a metric name");
        }
        if (keyword.equals("HELP")) {
            if (help.containsKey(name)) {
                throw new LineException("second # HELP for " + name);
            }
            help.put(name, unescapeHelp(rest));
            return;
        }
        if (!TYPES.contains(rest)) {
            throw new LineException(
                    "# TYPE " + name + ": unknown type '" + shorten(rest) + "'; expected one of " + TYPES);
        }
        if (types.containsKey(name)) {
            throw new LineException("second # TYPE for " + name);
        }
        if (sampled.contains(name)) {
            throw new LineException("# TYPE " + name + " comes after its first sample");
        }
        types.put(name, rest);
    }

    private void sample(int number, String line) throws LineException {
        Cursor c = new Cursor(line, 0);
        String name = c.name();
        if (name.isEmpty()) {
            throw new LineException("'" + shorten(line) + "' is not a sample: it must start with a metric name");
        }
        boolean blank = c.blanks();
        Map<String, String> labels = new LinkedHashMap<>();
        if (c.peek() == '{') {
            c.next();
            labels(c, labels);
            blank = c.blanks();
        }
        if (!blank) {
            throw new LineException(name + ": expected a blank and a value after the "
                    + (labels.isEmpty() ? "name" : "labels") + ", found '" + shorten(c.rest()) + "'");
        }
        String valueText = c.token();
        double value = value(name, valueText);
        OptionalLong timestamp = OptionalLong.empty();
        if (c.blanks() && !c.atEnd()) {
            String stamp = c.token();
            if (!TIMESTAMP.matcher(stamp).matches()) {
                throw new LineException(name + ": time stamp '" + shorten(stamp) + "' is not an integer of ms");
            }
            try {
                timestamp = OptionalLong.of(Long.parseLong(stamp));
            } catch (NumberFormatException e) {
                throw new LineException(name + ": time stamp " + stamp + " is beyond int64");
            }
            c.blanks();
        }
        if (!c.atEnd()) {
            throw new LineException(name + ": unexpected '" + shorten(c.rest()) + "' after the value");
        }
        sampled.add(name);
        samples.add(new PromSample(name, labels, value, valueText, timestamp, number));
    }

    private static void labels(Cursor c, Map<String, String> labels) throws LineException {
        while (true) {
            c.blanks();
            if (c.peek() == '}') {
                c.next();
                return;
            }
            String label = c.labelName();
            if (label.isEmpty()) {
                throw new LineException(
                        c.atEnd()
                                ? "labels are not closed with }"
                                : "expected a label name at '" + shorten(c.rest()) + "'");
            }
            c.blanks();
            if (c.next() != '=') {
                throw new LineException("label " + label + ": expected =");
            }
            c.blanks();
            if (c.next() != '"') {
                throw new LineException("label " + label + ": its value must be in double quotes");
            }
            String value = c.quoted(label);
            if (labels.put(label, value) != null) {
                throw new LineException("label " + label + " given twice");
            }
            c.blanks();
            int sep = c.next();
            if (sep == '}') {
                return;
            }
            if (sep != ',') {
                throw new LineException("after label " + label + ": expected , or }");
            }
        }
    }

    private static double value(String name, String text) throws LineException {
        if (text.isEmpty()) {
            throw new LineException(name + ": no value");
        }
        if (NAN.matcher(text).matches()) {
            return Double.NaN;
        }
        if (INF.matcher(text).matches()) {
            return text.charAt(0) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new LineException(name + ": value '" + shorten(text) + "' is not a number");
        }
        return Double.parseDouble(text);
    }

    private static String unescapeHelp(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\\' && i + 1 < text.length()) {
                char escaped = text.charAt(i + 1);
                if (escaped == '\\' || escaped == 'n') {
                    out.append(escaped == 'n' ? '\n' : '\\');
                    i++;
                    continue;
                }
            }
            out.append(ch);
        }
        return out.toString();
    }

    private static String strip(String line) {
        int from = 0;
        int to = line.length();
        while (from < to && isBlank(line.charAt(from))) {
            from++;
        }
        while (to > from && isBlank(line.charAt(to - 1))) {
            to--;
        }
        return line.substring(from, to);
    }

    private static boolean isBlank(char ch) {
        return ch == ' ' || ch == '\t';
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private void error(int line, String message) {
        errorCount++;
        if (errors.size() < MAX_ERRORS) {
            errors.add("line " + line + ": " + message);
        }
    }

    private List<String> errorList() {
        if (errorCount <= errors.size()) {
            return errors;
        }
        List<String> out = new ArrayList<>(errors);
        out.add("… and " + (errorCount - errors.size()) + " more bad lines");
        return out;
    }

    /** A broken line; caught per line, never leaves the parser. */
    private static final class LineException extends Exception {
        private static final long serialVersionUID = 1L;

        LineException(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads one line left to right. */
    private static final class Cursor {
        private final String text;
        private int at;

        Cursor(String text, int at) {
            this.text = text;
            this.at = at;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        int peek() {
            return atEnd() ? -1 : text.charAt(at);
        }

        int next() {
            return atEnd() ? -1 : text.charAt(at++);
        }

        /** Skips blanks and tabs; true if there was at least one. */
        boolean blanks() {
            int from = at;
            while (!atEnd() && isBlank(text.charAt(at))) {
                at++;
            }
            return at > from;
        }

        /** Everything up to the next blank. */
        String token() {
            int from = at;
            while (!atEnd() && !isBlank(text.charAt(at))) {
                at++;
            }
            return text.substring(from, at);
        }

        String rest() {
            String rest = text.substring(Math.min(at, text.length()));
            at = text.length();
            return rest;
        }

        String name() {
            int from = at;
            while (!atEnd()) {
                char ch = text.charAt(at);
                boolean ok = ch == '_'
                        || ch == ':'
                        || (ch >= 'a' && ch <= 'z')
                        || (ch >= 'A' && ch <= 'Z')
                        || (at > from && ch >= '0' && ch <= '9');
                if (!ok) {
                    break;
                }
                at++;
            }
            return text.substring(from, at);
        }

        String labelName() {
            int from = at;
            while (!atEnd()) {
                char ch = text.charAt(at);
                boolean ok = ch == '_'
                        || (ch >= 'a' && ch <= 'z')
                        || (ch >= 'A' && ch <= 'Z')
                        || (at > from && ch >= '0' && ch <= '9');
                if (!ok) {
                    break;
                }
                at++;
            }
            return text.substring(from, at);
        }

        /** A label value after its opening quote, up to and including the closing quote. */
        String quoted(String label) throws LineException {
            StringBuilder out = new StringBuilder();
            while (true) {
                int ch = next();
                if (ch < 0) {
                    throw new LineException("label " + label + ": value not closed with \"");
                }
                if (ch == '"') {
                    return out.toString();
                }
                if (ch == '\\') {
                    int escaped = next();
                    if (escaped == '\\' || escaped == '"') {
                        out.append((char) escaped);
                    } else if (escaped == 'n') {
                        out.append('\n');
                    } else {
                        throw new LineException("label " + label + ": unknown escape \\"
                                + (escaped < 0 ? "" : String.valueOf((char) escaped))
                                + " (only \\\\, \\\" and \\n)");
                    }
                    continue;
                }
                out.append((char) ch);
            }
        }
    }
}
