package io.headroom.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A key that an earlier release of the file took and this one does not. Writing it is still an error,
 * but one that says what to write instead ({@code plaintext: replaced by tls: {mode: "off"}}) rather
 * than a bare "unknown key": an operator upgrading a working file is told the fix, not left guessing.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Replaced.List.class)
public @interface Replaced {
    /** The old key, as it was written in the file. */
    String key();

    /** What to write instead, said to the operator after "replaced by". */
    String by();

    /** The container of repeated {@link Replaced} annotations. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface List {
        Replaced[] value();
    }
}
