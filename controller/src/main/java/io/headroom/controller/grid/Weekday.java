package io.headroom.controller.grid;

import java.time.DayOfWeek;

/** A day of the week as {@code site.yaml} spells it: {@code mon} … {@code sun}. */
public enum Weekday {
    MON(DayOfWeek.MONDAY),
    TUE(DayOfWeek.TUESDAY),
    WED(DayOfWeek.WEDNESDAY),
    THU(DayOfWeek.THURSDAY),
    FRI(DayOfWeek.FRIDAY),
    SAT(DayOfWeek.SATURDAY),
    SUN(DayOfWeek.SUNDAY);

    private final DayOfWeek day;

    Weekday(DayOfWeek day) {
        this.day = day;
    }

    public DayOfWeek day() {
        return day;
    }
}
