package io.headroom.controller.grid;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart's series: bounded, the peaks kept, and stable as samples come so the stream's event does not churn. */
class ComplianceChartTest {
    static final Instant T0 = GridEventBookTest.T0;

    static List<ComplianceSample> samples(int n) {
        List<ComplianceSample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            samples.add(new ComplianceSample(T0.plusSeconds(5L * i), 1000 + (i * 37 % 101), 900, i % 7 != 0));
        }
        return samples;
    }

    @Test
    void fewSamples_allOfThem_manySamples_atMost360_eachRunByItsHighestLoad() {
        assertThat(ComplianceChart.of(samples(360))).isEqualTo(samples(360));
        for (int n : new int[] {361, 720, 721, 1999, GridEventBook.MAX_SAMPLES}) {
            List<ComplianceSample> all = samples(n);
            List<ComplianceSample> chart = ComplianceChart.of(all);
            assertThat(chart).as("%d samples", n).hasSizeLessThanOrEqualTo(ComplianceChart.MAX_POINTS);
            int run = (n + ComplianceChart.MAX_POINTS - 1) / ComplianceChart.MAX_POINTS;
            for (int k = 0; k < chart.size(); k++) {
                List<ComplianceSample> slice = all.subList(k * run, Math.min(n, (k + 1) * run));
                double highest = slice.stream()
                        .mapToDouble(ComplianceSample::siteLoadKw)
                        .max()
                        .orElseThrow();
                assertThat(chart.get(k).siteLoadKw()).isEqualTo(highest);
                assertThat(slice).contains(chart.get(k));
            }
        }
    }

    @Test
    void aNewSample_changesOnlyTheLastPoint_whileTheRunLengthStands() {
        for (int n = 361; n < 720; n++) {
            List<ComplianceSample> before = ComplianceChart.of(samples(n));
            List<ComplianceSample> after = ComplianceChart.of(samples(n + 1));
            int same = Math.min(before.size(), after.size()) - 1;
            assertThat(after.subList(0, same)).as("%d samples", n).isEqualTo(before.subList(0, same));
        }
    }

    @Test
    void theStreamedList_standsStill_betweenSamples() {
        GridEventBook book = new GridEventBook(GridEventListener.NONE, new SimpleMeterRegistry());
        book.submit(GridEventBookTest.target(600, 0, 3600, "r1"), "olga", T0);
        ObjectMapper json = new ObjectMapper();
        book.observe(T0, 1000, true, false);
        String first = book.list().get(0).toJson(json).toString();

        book.observe(T0.plusSeconds(1), 1000, true, false);
        assertThat(book.list().get(0).toJson(json).toString())
                .as("the same load inside the sample interval")
                .isEqualTo(first);
        book.observe(T0.plusSeconds(5), 1000, true, false);
        assertThat(book.list().get(0).chart()).hasSize(2);
    }
}
