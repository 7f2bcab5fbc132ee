package io.headroom.agent.driver.nvsmi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses {@code nvidia-smi -q -x} output safely and reads values out of it.
 *
 * <p>The real output starts with {@code <!DOCTYPE nvidia_smi_log SYSTEM "nvsmi_device_v12.dtd">},
 * so a DOCTYPE cannot simply be refused. Instead: no external DTD or entity is ever loaded (the
 * features off, the JAXP access properties empty, and an entity resolver that answers nothing), an
 * output that declares entities of its own is refused before parsing, and secure processing bounds
 * what remains. Nothing in an output can make the parser read a file or open a connection.
 */
final class NvsmiXml {

    /** What nvidia-smi prints where a GPU has no such value; not an error. */
    private static final Pattern ABSENT =
            Pattern.compile("(?i)\\[?(n/a|not supported|not available|requested functionality has been deprecated)]?");

    private static final Pattern NUMBER = Pattern.compile("([+-]?[0-9]+(?:\\.[0-9]+)?)(?:\\s*(\\S+))?");
    private static final Pattern PATH = Pattern.compile("[a-z0-9_]+(?:/[a-z0-9_]+)*");
    private static final String ROOT = "nvidia_smi_log";

    private NvsmiXml() {}

    static void requireValidPath(String path, String key) {
        if (path == null || !PATH.matcher(path).matches()) {
            throw new IllegalArgumentException(key + ": '" + path + "' must be element names joined by /");
        }
    }

    /**
     * @throws NvsmiException with reason {@code bad-response} for anything that is not an
     *     {@code <nvidia_smi_log>} document
     */
    static NvsmiLog parse(byte[] output) throws NvsmiException {
        if (new String(output, StandardCharsets.ISO_8859_1).contains("<!ENTITY")) {
            throw bad("the output declares XML entities; nvidia-smi never does, and they are not expanded");
        }
        Document document;
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            builder.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {}

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            document = builder.parse(new ByteArrayInputStream(output));
        } catch (SAXParseException e) {
            throw bad("not well-formed XML at line " + e.getLineNumber() + ": " + e.getMessage());
        } catch (SAXException | IOException e) {
            throw bad("not well-formed XML: " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a secure-processing feature", e);
        }
        Element root = document.getDocumentElement();
        if (root == null || !root.getTagName().equals(ROOT)) {
            throw bad("the document is <" + (root == null ? "" : root.getTagName()) + ">, not <" + ROOT + ">");
        }
        List<Element> gpus = new ArrayList<>();
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element && ((Element) child).getTagName().equals("gpu")) {
                gpus.add((Element) child);
            }
        }
        return new NvsmiLog(root, gpus);
    }

    private static NvsmiException bad(String message) {
        return new NvsmiException(NvsmiException.BAD_RESPONSE, false, "nvidia-smi -q -x: " + message);
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        factory.setValidating(false);
        return factory;
    }

    /** The element at a path below {@code from}, the first of each name; null when absent. */
    static Element element(Element from, String path) {
        Element at = from;
        for (String name : path.split("/", -1)) {
            Element next = null;
            for (Node child = at.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element && ((Element) child).getTagName().equals(name)) {
                    next = (Element) child;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            at = next;
        }
        return at;
    }

    /** The trimmed text of the element at a path; null when absent. */
    static String text(Element from, String path) {
        Element element = element(from, path);
        return element == null ? null : element.getTextContent().strip();
    }

    /** What a value's text means. */
    enum Kind {
        NUMBER,
        ABSENT,
        ERROR
    }

    /**
     * A value as nvidia-smi prints it ({@code 67.03 W}, {@code 27 C}, {@code 0 %}, {@code N/A},
     * {@code [Unknown Error]}).
     *
     * @param number the number, for NUMBER
     * @param problem why it is no number, for ERROR
     */
    record Value(Kind kind, double number, String problem) {
        static final Value ABSENT_VALUE = new Value(Kind.ABSENT, Double.NaN, "");
    }

    /**
     * Reads a number printed with the expected unit. "N/A", "[Not Supported]" and the like are
     * ABSENT; "[Unknown Error]", "[GPU is lost]", a number in another unit or any other text is an
     * ERROR naming what was printed.
     */
    static Value value(String text, String unit) {
        if (text == null || text.isEmpty() || ABSENT.matcher(text).matches()) {
            return Value.ABSENT_VALUE;
        }
        Matcher m = NUMBER.matcher(text);
        if (!m.matches()) {
            return new Value(Kind.ERROR, Double.NaN, "'" + shorten(text) + "'");
        }
        String printed = m.group(2) == null ? "" : m.group(2);
        if (!printed.equals(unit)) {
            return new Value(
                    Kind.ERROR,
                    Double.NaN,
                    "'" + shorten(text) + "' is not in " + (unit.isEmpty() ? "plain numbers" : unit));
        }
        double number = Double.parseDouble(m.group(1));
        return Double.isFinite(number) ? new Value(Kind.NUMBER, number, "") : Value.ABSENT_VALUE;
    }

    private static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
