package io.headroom.agent.schedule;

import io.headroom.agent.time.MonotonicClock;
import io.headroom.agent.time.TaskTimer;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Where the scheduler's time and chance come from.
 *
 * @param wall timestamps (the last-success age)
 * @param monotonic deadlines, intervals, durations
 * @param timer arms each device's next deadline, on {@code monotonic}'s time base
 * @param random first-poll offsets and jitter; must be safe to call from several threads
 */
record Timing(Clock wall, MonotonicClock monotonic, TaskTimer timer, RandomGenerator random) {}
