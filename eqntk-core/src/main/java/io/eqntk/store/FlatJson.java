package io.eqntk.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A writer and reader of flat JSON objects of strings and integers: all the store's manifest needs. */
final class FlatJson {
    /** Strings as an unrolled loop (runs of plain characters, then escapes), so long values need no deep recursion. */
    private static final String STRING = "\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\"";
    private static final Pattern PAIR = Pattern.compile(STRING + "\\s*:\\s*(" + STRING + "|-?\\d+)");

    private FlatJson() {
    }

    static String write(Map<String, Object> values) {
        StringBuilder sb = new StringBuilder("{\n");
        int k = 0;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            sb.append("  ").append(quote(e.getKey())).append(": ");
            Object v = e.getValue();
            sb.append(v instanceof Number ? v.toString() : quote(String.valueOf(v)));
            sb.append(++k < values.size() ? ",\n" : "\n");
        }
        return sb.append("}\n").toString();
    }

    /** The string and integer members of a flat object (values as strings; nested values are not supported). */
    static Map<String, String> read(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PAIR.matcher(json);
        while (m.find()) {
            out.put(unquote(m.group(1)), m.group(3) != null ? unquote(m.group(3)) : m.group(2));
        }
        return out;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String unquote(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }
}
