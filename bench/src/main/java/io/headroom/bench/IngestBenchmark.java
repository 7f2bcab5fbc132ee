package io.headroom.bench;

import io.headroom.protocol.MalformedPayloadException;
import io.headroom.protocol.WireCodec;
import io.headroom.protocol.wire.Data;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The controller's ingest of one Data message of a 40-miner rack (480 samples, every one
 * changed), side by side with decoding the same bytes alone: the ratio is what sequencing,
 * deduplication, alias lookup, the store and the counters cost on top of protobuf.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IngestBenchmark {

    @Param("40")
    public int devices;

    private IngestFixture fixture;

    @Setup
    public void setUp() {
        fixture = new IngestFixture(devices);
    }

    /** Decode, dedupe, sequence, apply every sample to the store, count, ack. */
    @Benchmark
    public long ingest() {
        fixture.ingestNext();
        return fixture.seq();
    }

    /** Only the protobuf decode of the same message: the floor under {@link #ingest()}. */
    @Benchmark
    public int decodeOnly() throws MalformedPayloadException {
        return WireCodec.decode(fixture.next(), Data.class).getAliasCount();
    }

    public int samplesPerMessage() {
        return fixture.samplesPerMessage();
    }
}
