package io.headroom.controller.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Price files are read strictly: a bad row fails the file with its line number and what is wrong. */
class PriceFilesTest {
    static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    static PriceSeries csv(String text) throws PriceDataException {
        return PriceFiles.csv("prices.csv", text, "time", "lmp");
    }

    static PriceSeries json(String text) throws PriceDataException {
        return PriceFiles.json("prices.json", text, "ts", "price");
    }

    @Test
    void csv_isoAndEpochSeconds_quotes_otherColumns_commentsAndABom() throws Exception {
        PriceSeries series = csv("\uFEFF# generated\nnode,time,lmp\nHB_NORTH,2026-12-01T00:00:00Z,42.5\n"
                + "\"HB, \"\"WEST\"\"\",1796083500,-3\n\nHB_NORTH,2026-12-01T01:10:00+01:00,\"1e2\"\n");

        assertThat(series.points())
                .containsExactly(
                        new PricePoint(T0, 42.5),
                        new PricePoint(T0.plus(Duration.ofMinutes(5)), -3),
                        new PricePoint(T0.plus(Duration.ofMinutes(10)), 100));
    }

    @Test
    void csv_badRows_areRefusedWithTheirLine() {
        assertThatThrownBy(() -> csv("time,lmp\n2026-12-01T00:00:00Z,42\n2026-12-01T00:05:00Z,abc\n"))
                .isInstanceOf(PriceDataException.class)
                .hasMessage("prices.csv:3: value 'abc' is not a number");
        assertThatThrownBy(() -> csv("time,lmp\n2026-12-01T00:00:00Z,NaN\n"))
                .hasMessage("prices.csv:2: value NaN is not a finite number");
        assertThatThrownBy(() -> csv("time,lmp\n2026-12-01 00:00,42\n"))
                .hasMessageStartingWith("prices.csv:2: time '2026-12-01 00:00' is neither ISO-8601");
        assertThatThrownBy(() -> csv("time,lmp\n1796083200000,42\n"))
                .hasMessage("prices.csv:2: time 1796083200000 is too large for epoch seconds (milliseconds?)");
        assertThatThrownBy(() -> csv("time,lmp\n2026-12-01T00:05:00Z,1\n2026-12-01T00:05:00Z,2\n"))
                .hasMessageStartingWith("prices.csv:3: time 2026-12-01T00:05:00Z is not after the previous row's");
        assertThatThrownBy(() -> csv("time,lmp\n2026-12-01T00:05:00Z,1,extra\n"))
                .hasMessage("prices.csv:2: 3 fields; the header has 2");
        assertThatThrownBy(() -> csv("time,price\n2026-12-01T00:05:00Z,1\n"))
                .hasMessage("prices.csv:1: the header [time, price] has no column 'lmp'");
        assertThatThrownBy(() -> csv("time,lmp\n\"2026-12-01T00:05:00Z,1\n"))
                .hasMessage("prices.csv:2: a quoted field is not closed");
        assertThatThrownBy(() -> csv("# nothing\n\n")).hasMessageStartingWith("prices.csv: no header row");
        assertThatThrownBy(() -> csv("time,lmp\n,1\n")).hasMessage("prices.csv:2: time is empty");
    }

    @Test
    void json_anArrayOfObjects_timesAsStringsOrNumbers() throws Exception {
        PriceSeries series = json("[\n {\"ts\": \"2026-12-01T00:00:00Z\", \"price\": 55.5},\n"
                + " {\"ts\": 1796083500, \"price\": 56, \"other\": [1, 2]}\n]\n");

        assertThat(series.points())
                .containsExactly(new PricePoint(T0, 55.5), new PricePoint(T0.plus(Duration.ofMinutes(5)), 56));
    }

    @Test
    void json_badItems_areRefusedWithTheirLine() {
        assertThatThrownBy(
                        () -> json("[\n {\"ts\": \"2026-12-01T00:00:00Z\", \"price\": 1},\n {\"ts\": 1796083500}\n]"))
                .isInstanceOf(PriceDataException.class)
                .hasMessage("prices.json:3: 'price' is missing or not a number");
        assertThatThrownBy(() -> json("[\n {\"ts\": \"2026-12-01T00:00:00Z\", \"price\": \"12\"}\n]"))
                .hasMessage("prices.json:2: 'price' is missing or not a number");
        assertThatThrownBy(() -> json("[\n 7\n]")).hasMessage("prices.json:2: expected an object, got number");
        assertThatThrownBy(() -> json("{\"ts\": 1}")).hasMessageStartingWith("prices.json:1: expected a JSON array");
        assertThatThrownBy(
                        () -> json("[\n {\"ts\": 1796083500, \"price\": 1},\n {\"ts\": 1796083500, \"price\": 2}\n]"))
                .hasMessageStartingWith("prices.json:3: time 2026-12-01T00:05:00Z is not after");
        assertThatThrownBy(() -> json("[\n {\"ts\": 1796083500, \"price\": 1,\n"))
                .hasMessageStartingWith("prices.json:")
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> json("[{\"ts\": 1796083500, \"price\": 1, \"price\": 2}]"))
                .hasMessageContaining("not valid JSON")
                .hasMessageContaining("Duplicate field 'price'");
        assertThatThrownBy(() -> json("[] []")).hasMessage("prices.json:1: text after the array");
    }

    @Test
    void aFileSource_readsByExtension_andAFailedReloadKeepsTheSeries() throws Exception {
        Path file = dir.resolve("rt.csv");
        Files.writeString(file, "time,value\n2026-12-01T00:00:00Z,42\n");
        FilePriceSource source =
                FilePriceSource.open(new MarketConfig.FileSource(file, Optional.empty(), "time", "value"));
        assertThat(source.latest(T0.plusSeconds(1))).contains(new PricePoint(T0, 42));
        assertThat(source.latest(T0.minusSeconds(1))).isEmpty();

        Files.writeString(file, "time,value\n2026-12-01T00:00:00Z,oops\n");
        assertThat(source.reload()).isFalse();
        assertThat(source.failures()).isEqualTo(1);
        assertThat(source.lastFailure()).contains(file + ":2: value 'oops' is not a number");
        assertThat(source.latest(T0)).contains(new PricePoint(T0, 42));

        Files.writeString(dir.resolve("bad.json"), "[{\"time\": 1796083200, \"value\": true}]");
        assertThatThrownBy(() -> FilePriceSource.open(
                        new MarketConfig.FileSource(dir.resolve("bad.json"), Optional.empty(), "time", "value")))
                .isInstanceOf(PriceDataException.class)
                .hasMessage(dir.resolve("bad.json") + ":1: 'value' is missing or not a number");
    }
}
