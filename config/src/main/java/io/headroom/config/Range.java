package io.headroom.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inclusive bounds of a number, a duration or a size, written as in YAML ({@code "1"}, {@code "65535"},
 * {@code "100ms"}, {@code "1h"}, {@code "1KiB"}). An empty bound is open. Also the
 * {@code minimum}/{@code maximum} of the JSON Schema where the value is a plain number.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Range {
    String min() default "";

    String max() default "";
}
