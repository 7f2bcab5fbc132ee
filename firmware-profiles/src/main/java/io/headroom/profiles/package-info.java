/**
 * Firmware profiles v2: the records a profile file binds to, their capabilities, and the catalogue
 * that loads them (with {@code extends:}). Agent and controller both read these; drivers parse their
 * own {@code match:} rules and {@code points:} section.
 */
@NullMarked
package io.headroom.profiles;

import org.jspecify.annotations.NullMarked;
