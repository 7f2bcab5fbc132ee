package io.headroom.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.headroom.protocol.wire.Data;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Renders wire messages as JSON for humans: field names as in the schema, enums by name, 64-bit
 * ids as numbers, and a {@code Data} batch additionally unrolled into one object per sample.
 */
final class ProtoJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ProtoJson() {}

    static ObjectNode toJson(Message message) {
        ObjectNode node = NODES.objectNode();
        for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
            FieldDescriptor field = entry.getKey();
            if (field.isRepeated()) {
                ArrayNode array = node.putArray(field.getName());
                for (Object element : (List<?>) entry.getValue()) {
                    array.add(value(field, element));
                }
            } else {
                node.set(field.getName(), value(field, entry.getValue()));
            }
        }
        if (message instanceof Data data) {
            node.set("samples", samples(data));
        }
        return node;
    }

    private static JsonNode value(FieldDescriptor field, Object value) {
        switch (field.getJavaType()) {
            case MESSAGE:
                return toJson((Message) value);
            case ENUM:
                return NODES.textNode(((EnumValueDescriptor) value).getName());
            case LONG:
                // uint64 ids (boot_id, seq) are unsigned on the wire: never show them negative.
                boolean unsigned = field.getType() == FieldDescriptor.Type.UINT64
                        || field.getType() == FieldDescriptor.Type.FIXED64;
                return unsigned
                        ? NODES.numberNode(new java.math.BigInteger(Long.toUnsignedString((Long) value)))
                        : NODES.numberNode((Long) value);
            case INT:
                return NODES.numberNode((Integer) value);
            case DOUBLE:
                return NODES.numberNode((Double) value);
            case FLOAT:
                return NODES.numberNode((Float) value);
            case BOOLEAN:
                return NODES.booleanNode((Boolean) value);
            case STRING:
                return NODES.textNode((String) value);
            default:
                return NODES.textNode(String.valueOf(value));
        }
    }

    private static ArrayNode samples(Data data) {
        ArrayNode samples = NODES.arrayNode();
        for (int i = 0; i < data.getAliasCount(); i++) {
            long at = data.getTimestampMs() + (data.getOffsetMsCount() == 0 ? 0 : data.getOffsetMs(i));
            ObjectNode sample = samples.addObject();
            sample.put("alias", data.getAlias(i));
            sample.put("value", data.getValue(i));
            sample.put("at", Instant.ofEpochMilli(at).toString());
            sample.put(
                    "quality",
                    data.getQualityCount() == 0
                            ? "QUALITY_GOOD"
                            : data.getQuality(i).name());
        }
        return samples;
    }
}
