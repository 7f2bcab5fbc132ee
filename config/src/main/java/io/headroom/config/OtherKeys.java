package io.headroom.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code Map<String, ConfigNode>} component that receives every key of the mapping that no
 * other component names, unbound, in document order, instead of those keys being refused as unknown.
 * Whoever reads the map binds or refuses each one later (a device's driver block, a profile's
 * driver-specific {@code points:}), so that its problems still carry their own line and path.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD})
public @interface OtherKeys {}
