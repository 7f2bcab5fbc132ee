package io.headroom.controller.market;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads price files strictly: every row must have a time and a finite value, times must increase,
 * and the first bad row fails the whole file with its line number. A silently skipped row would
 * be a silently wrong price.
 */
public final class PriceFiles {
    /** A price file is a few months of 5-minute prices at most; more is a mistake. */
    static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private PriceFiles() {}

    /** Reads {@code source}'s file as its format says. */
    public static PriceSeries read(MarketConfig.FileSource source) throws IOException, PriceDataException {
        Path path = source.path();
        long size = Files.size(path);
        if (size > MAX_FILE_BYTES) {
            throw new PriceDataException(
                    path + ": " + size + " bytes; a price file may have at most " + MAX_FILE_BYTES);
        }
        String text = Files.readString(path, StandardCharsets.UTF_8);
        String name = path.toString();
        return source.effectiveFormat() == MarketConfig.FileFormat.CSV
                ? csv(name, text, source.timeField(), source.valueField())
                : json(name, text, source.timeField(), source.valueField());
    }

    /**
     * CSV with a header row naming {@code timeColumn} and {@code valueColumn}; other columns are
     * ignored. Fields may be double-quoted. Blank lines and lines starting with {@code #} are skipped.
     */
    public static PriceSeries csv(String name, String text, String timeColumn, String valueColumn)
            throws PriceDataException {
        String[] lines = text.split("\r?\n", -1);
        int timeIndex = -1;
        int valueIndex = -1;
        int columns = 0;
        List<PricePoint> points = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            int line = i + 1;
            String row = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            if (row.isBlank() || row.startsWith("#")) {
                continue;
            }
            List<String> fields = fields(name, line, row);
            if (timeIndex < 0) {
                timeIndex = fields.indexOf(timeColumn);
                valueIndex = fields.indexOf(valueColumn);
                if (timeIndex < 0 || valueIndex < 0) {
                    throw new PriceDataException(name + ":" + line + ": the header " + fields + " has no column '"
                            + (timeIndex < 0 ? timeColumn : valueColumn) + "'");
                }
                columns = fields.size();
                continue;
            }
            if (fields.size() != columns) {
                throw new PriceDataException(
                        name + ":" + line + ": " + fields.size() + " fields; the header has " + columns);
            }
            add(points, name + ":" + line, fields.get(timeIndex), fields.get(valueIndex));
        }
        if (timeIndex < 0) {
            throw new PriceDataException(
                    name + ": no header row (expected columns '" + timeColumn + "' and '" + valueColumn + "')");
        }
        return PriceSeries.of(points);
    }

    /** A JSON array of objects, each with {@code timeField} (string or number) and {@code valueField} (number). */
    public static PriceSeries json(String name, String text, String timeField, String valueField)
            throws PriceDataException {
        List<PricePoint> points = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new PriceDataException(
                        name + ":" + parser.currentLocation().getLineNr() + ": expected a JSON array of {\"" + timeField
                                + "\": …, \"" + valueField + "\": …}");
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                JsonLocation at = parser.currentTokenLocation();
                String where = name + ":" + at.getLineNr();
                JsonNode item = JSON.readTree(parser);
                if (item == null || !item.isObject()) {
                    throw new PriceDataException(where + ": expected an object, got " + describe(item));
                }
                JsonNode time = item.get(timeField);
                JsonNode value = item.get(valueField);
                if (time == null || !(time.isTextual() || time.isNumber())) {
                    throw new PriceDataException(where + ": '" + timeField + "' is missing or not a string or number");
                }
                if (value == null || !value.isNumber()) {
                    throw new PriceDataException(where + ": '" + valueField + "' is missing or not a number");
                }
                add(points, where, time.asText(), value.asText());
            }
            if (parser.nextToken() != null) {
                throw new PriceDataException(
                        name + ":" + parser.currentTokenLocation().getLineNr() + ": text after the array");
            }
        } catch (JsonProcessingException e) {
            throw new PriceDataException(
                    name + ":" + e.getLocation().getLineNr() + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PriceDataException(name + ": " + e.getMessage(), e);
        }
        return PriceSeries.of(points);
    }

    private static String describe(JsonNode node) {
        return node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void add(List<PricePoint> points, String where, String timeText, String valueText)
            throws PriceDataException {
        Instant at;
        try {
            at = PriceTimes.parse(timeText);
        } catch (IllegalArgumentException e) {
            throw new PriceDataException(where + ": " + e.getMessage(), e);
        }
        double value;
        try {
            value = Double.parseDouble(valueText.trim());
        } catch (NumberFormatException e) {
            throw new PriceDataException(where + ": value '" + PriceTimes.clip(valueText) + "' is not a number", e);
        }
        if (!Double.isFinite(value)) {
            throw new PriceDataException(where + ": value " + valueText.trim() + " is not a finite number");
        }
        if (!points.isEmpty() && !at.isAfter(points.get(points.size() - 1).at())) {
            throw new PriceDataException(where + ": time " + at + " is not after the previous row's "
                    + points.get(points.size() - 1).at() + " (rows must be in increasing time order)");
        }
        points.add(new PricePoint(at, value));
    }

    /** Splits one CSV row; double quotes around a field, with {@code ""} for a quote inside. */
    private static List<String> fields(String name, int line, String row) throws PriceDataException {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < row.length() && row.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.toString().isBlank()) {
                quoted = true;
                field.setLength(0);
            } else if (c == ',') {
                out.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new PriceDataException(name + ":" + line + ": a quoted field is not closed");
        }
        out.add(field.toString().trim());
        return out;
    }
}
