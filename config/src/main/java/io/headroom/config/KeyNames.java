package io.headroom.config;

import java.util.Locale;

/** How Java names become YAML spellings: components in kebab case, enum constants in lower kebab case. */
final class KeyNames {

    private KeyNames() {}

    /**
     * {@code pollInterval} → {@code poll-interval}, {@code caFile} → {@code ca-file}, {@code mqttURL} →
     * {@code mqtt-url}, {@code URLPath} → {@code url-path}; digits stay with what they follow
     * ({@code snmpV3} → {@code snmp-v3}, {@code ipv6Address} → {@code ipv6-address}).
     */
    static String kebab(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                char before = camel.charAt(i - 1);
                boolean afterWord = Character.isLowerCase(before) || Character.isDigit(before);
                boolean endOfAcronym = Character.isUpperCase(before)
                        && i + 1 < camel.length()
                        && Character.isLowerCase(camel.charAt(i + 1));
                if (afterWord || endOfAcronym) {
                    out.append('-');
                }
            }
            out.append(Character.toLowerCase(c));
        }
        return out.toString();
    }

    /** {@code GPU_SERVER} → {@code gpu-server}, {@code V2C} → {@code v2c}. */
    static String enumConstant(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
