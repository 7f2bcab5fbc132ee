package io.headroom.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value used when the key is absent, written as it would be in YAML ({@code "5s"}, {@code "4028"},
 * {@code "true"}). It is parsed by the same rules as a written value, so a default can never be of the
 * wrong type unnoticed: a broken default fails the binder's self-check. A component without a default
 * that is not {@link java.util.Optional}, a {@link java.util.List} or a {@link java.util.Map} is
 * required.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface Default {
    String value();
}
