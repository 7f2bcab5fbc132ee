package io.headroom.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The spelling of an enum constant in YAML, when it is not the constant's name in lower kebab case
 * ({@code GPU_SERVER} is {@code gpu-server} without this annotation; {@code V2C} would be {@code v2c}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface ConfigValue {
    String value();
}
