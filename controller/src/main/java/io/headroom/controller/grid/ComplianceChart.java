package io.headroom.controller.grid;

import java.util.ArrayList;
import java.util.List;

/**
 * The series an open event's chart is drawn from: its compliance samples, or at most {@link
 * #MAX_POINTS} of them when there are more. The samples are cut into runs of equal length from the
 * first, and each run is shown by its sample with the highest site load, so a peak over the target
 * is never thinned away; since the runs start at the first sample, a new sample changes only the
 * last point until the run length grows.
 */
public final class ComplianceChart {
    /** The most points an event's chart carries (one every 5 s is half an hour; more are thinned). */
    public static final int MAX_POINTS = 360;

    private ComplianceChart() {}

    /** {@code samples} (oldest first) as at most {@link #MAX_POINTS} points, oldest first. */
    public static List<ComplianceSample> of(List<ComplianceSample> samples) {
        int n = samples.size();
        if (n <= MAX_POINTS) {
            return List.copyOf(samples);
        }
        int run = (n + MAX_POINTS - 1) / MAX_POINTS;
        List<ComplianceSample> points = new ArrayList<>(MAX_POINTS);
        for (int from = 0; from < n; from += run) {
            ComplianceSample highest = samples.get(from);
            for (int i = from + 1; i < Math.min(n, from + run); i++) {
                if (samples.get(i).siteLoadKw() > highest.siteLoadKw()) {
                    highest = samples.get(i);
                }
            }
            points.add(highest);
        }
        return List.copyOf(points);
    }
}
