/**
 * The agent–controller contract: topic names ({@link io.headroom.protocol.Topics}), the metric
 * dictionary ({@link io.headroom.protocol.MetricDictionary}) and the protobuf codec
 * ({@link io.headroom.protocol.WireCodec}). The generated message types live in
 * {@code io.headroom.protocol.wire}; the schema is {@code headroom/v1/headroom.proto}.
 */
package io.headroom.protocol;
