package dev.cohort.platform;

import com.fasterxml.jackson.core.JsonToken;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * One scalar of a configuration document as written, with what YAML made of it, and its readings as a number, a whole
 * number or a boolean. A YAML number reads as YAML means it ({@code 0x10} is 16, {@code 1_000} is 1000); a quoted
 * string reads as a number only when it is plainly one ({@code "2.5"}, never {@code "1d"} or {@code "NaN"}).
 *
 * @param text   the scalar's text as written (without quotes)
 * @param token  what the YAML parser made of it: a string, a number, a boolean or an embedded value
 * @param number the number YAML gave a number token; null for any other token or a number it cannot hold ({@code .inf})
 */
record ConfigScalar(String text, JsonToken token, Number number) {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern WHOLE = Pattern.compile("[-+]?\\d+");

    /** A number in [min, max]. */
    double number(double min, double max) {
        OptionalDouble v = asNumber();
        if (v.isEmpty() || !(v.getAsDouble() >= min && v.getAsDouble() <= max)) {
            throw notA(ConfigText.numberRange(min, max));
        }
        return v.getAsDouble();
    }

    /** A whole number in [min, max]. */
    long whole(long min, long max) {
        Long v = asWhole();
        if (v == null || v < min || v > max) {
            throw notA(wholeRange(min, max));
        }
        return v;
    }

    /** What a whole number must be: {@code a whole number from 1 to 64}. */
    static String wholeRange(long min, long max) {
        return "a whole number from " + min + " to " + max;
    }

    /** A boolean. */
    boolean bool() {
        Boolean v = asBoolean();
        if (v == null) {
            throw notA("true or false");
        }
        return v;
    }

    /** One of the allowed words. */
    String choice(List<String> allowed) {
        String v = text.strip();
        if (!allowed.contains(v)) {
            throw notA("one of " + String.join(", ", allowed));
        }
        return v;
    }

    private IllegalArgumentException notA(String expected) {
        return new IllegalArgumentException("expected " + expected + ", got '" + text + "'");
    }

    /** The value as a number; empty when it is not one. Infinite when YAML's number is too large for a double. */
    OptionalDouble asNumber() {
        if (token.isNumeric()) {
            return number == null ? OptionalDouble.empty() : OptionalDouble.of(number.doubleValue());
        }
        String s = text.strip();
        return token == JsonToken.VALUE_STRING && DECIMAL.matcher(s).matches()
                ? OptionalDouble.of(Double.parseDouble(s)) : OptionalDouble.empty();
    }

    /** The value as a whole number that fits a {@code long}; null when it is not one. */
    private Long asWhole() {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            if (number instanceof java.math.BigInteger b) {
                return b.bitLength() < 64 ? b.longValue() : null;
            }
            return number == null ? null : number.longValue();
        }
        String s = text.strip();
        if (token != JsonToken.VALUE_STRING || !WHOLE.matcher(s).matches()) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null; // too large for a long
        }
    }

    /** The value as a boolean: YAML's true and false, or the words true, yes, on, false, no, off; null otherwise. */
    private Boolean asBoolean() {
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return token == JsonToken.VALUE_TRUE;
        }
        if (token != JsonToken.VALUE_STRING) {
            return null;
        }
        return switch (text.strip()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> null;
        };
    }
}
