package dev.cohort.platform;

/** The pieces of a configuration error's text: key paths, numbers as people write them, and one line whatever it quotes. */
final class ConfigText {
    private ConfigText() {
    }

    /** The path of {@code key} below {@code path}: {@code machine.frequency}, or just the key at the top level. */
    static String pathOf(String path, String key) {
        return path.isEmpty() ? keyName(key) : path + "." + keyName(key);
    }

    /** A key as errors show it: quoted when it is empty or holds anything but letters, digits and {@code _-.}. */
    static String keyName(String key) {
        return key.matches("[A-Za-z0-9_.-]+") ? key : "'" + key + "'";
    }

    /** A bound as people write it: {@code 64}, {@code 0.9999}, not {@code 64.0}. */
    static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** What a number must be: {@code a number from 0 to 1}, or {@code a number of at least 0} when there is no upper bound. */
    static String numberRange(double min, double max) {
        return max >= Double.MAX_VALUE ? "a number of at least " + number(min) : "a number from " + number(min) + " to " + number(max);
    }

    /** The text with line breaks and other control characters written as escapes: an error is always one line. */
    static String oneLine(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            boolean control = ch < 0x20 || ch == 0x7f || ch == '\u2028' || ch == '\u2029' || ch == '\u0085';
            if (control && b == null) {
                b = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (b != null) {
                switch (ch) {
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (control) {
                            b.append(String.format("\\u%04x", (int) ch));
                        } else {
                            b.append(ch);
                        }
                    }
                }
            }
        }
        return b == null ? text : b.toString();
    }
}
