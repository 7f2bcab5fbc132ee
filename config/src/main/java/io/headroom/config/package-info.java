/**
 * One YAML binder for every Headroom config file: {@code agent.yaml}, {@code controller.yaml},
 * {@code site.yaml} and firmware profiles. Records are bound from a line-aware tree
 * ({@link io.headroom.config.ConfigNode}); every problem is reported at once with its file, line and
 * key path, in one wording; JSON Schemas are written from the same records.
 */
@NullMarked
package io.headroom.config;

import org.jspecify.annotations.NullMarked;
