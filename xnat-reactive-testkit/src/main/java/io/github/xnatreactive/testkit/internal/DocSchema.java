package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The schema types of the values the testkit stores, and the XSDs it serves ({@code /xapi/schemas}). A value
 * written to a typed field is checked (a bad number, date or time is a 400, as XNAT's validation answers) and kept as
 * XNAT writes it back: decimals with a fraction ({@code 42} becomes {@code 42.0}), integers without one, booleans as
 * {@code true}/{@code false}, dates as {@code yyyy-MM-dd}, times as {@code HH:mm:ss}. The XSDs under
 * {@code /schemas/} of this module declare the same types.
 */
final class DocSchema {
    private DocSchema() {}

    enum Type {
        DOUBLE,
        INTEGER,
        BOOLEAN,
        DATE,
        TIME
    }

    /** Typed values by their last element (or parent and attribute): the xs:double, xs:int, ... of xnat.xsd. */
    private static final Map<String, Type> TYPES = Map.ofEntries(
            Map.entry("tr", Type.DOUBLE),
            Map.entry("te", Type.DOUBLE),
            Map.entry("ti", Type.DOUBLE),
            Map.entry("pixelbandwidth", Type.DOUBLE),
            Map.entry("voxelres/@x", Type.DOUBLE),
            Map.entry("voxelres/@y", Type.DOUBLE),
            Map.entry("voxelres/@z", Type.DOUBLE),
            Map.entry("dcmpatientweight", Type.DOUBLE),
            Map.entry("age", Type.DOUBLE),
            Map.entry("height", Type.DOUBLE),
            Map.entry("weight", Type.DOUBLE),
            Map.entry("frames", Type.INTEGER),
            Map.entry("partitions", Type.INTEGER),
            Map.entry("flip", Type.INTEGER),
            Map.entry("dtiacqcount", Type.INTEGER),
            Map.entry("yob", Type.INTEGER),
            Map.entry("ses", Type.INTEGER),
            Map.entry("education", Type.INTEGER),
            Map.entry("stereotacticmarker", Type.INTEGER),
            Map.entry("fov/@x", Type.INTEGER),
            Map.entry("fov/@y", Type.INTEGER),
            Map.entry("matrix/@x", Type.INTEGER),
            Map.entry("matrix/@y", Type.INTEGER),
            Map.entry("active", Type.BOOLEAN),
            Map.entry("date", Type.DATE),
            Map.entry("dob", Type.DATE),
            Map.entry("dcmpatientbirthdate", Type.DATE),
            Map.entry("time", Type.TIME),
            Map.entry("starttime", Type.TIME));

    /** The names {@code GET /xapi/schemas} lists; each is served at {@code /xapi/schemas/{name}}. */
    static final List<String> NAMES = List.of("catalog", "prov", "xdat", "xnat");

    /** The schema type of a stored key, or null for a string. Keyed elements (custom fields...) are strings. */
    static Type typeOf(String key) {
        List<DocKeys.Step> steps = DocKeys.steps(key);
        DocKeys.Step last = steps.get(steps.size() - 1);
        if (last.repeated() || steps.stream().anyMatch(s -> s.keyName() != null)) {
            return null;
        }
        if (last.attribute() && steps.size() >= 2) {
            return TYPES.get(steps.get(steps.size() - 2).name() + "/" + last.name());
        }
        return TYPES.get(last.name());
    }

    /** The value as XNAT stores and writes it; a value its type cannot hold is a 400 naming the field. */
    static String canonical(String key, String value) {
        Type t = typeOf(key);
        String v = value == null ? "" : value.trim();
        if (t == null || v.isEmpty()) {
            return value;
        }
        try {
            return switch (t) {
                case DOUBLE -> {
                    BigDecimal d = new BigDecimal(v);
                    yield d.stripTrailingZeros().scale() <= 0
                            ? d.toBigInteger() + ".0"
                            : d.stripTrailingZeros().toPlainString();
                }
                case INTEGER -> new BigDecimal(v).toBigIntegerExact().toString();
                case BOOLEAN ->
                    switch (v.toLowerCase(Locale.ROOT)) {
                        case "1", "true" -> "true";
                        case "0", "false" -> "false";
                        default -> throw new IllegalArgumentException(v);
                    };
                case DATE ->
                    LocalDate.parse(v.length() > 10 ? v.substring(0, 10) : v).toString();
                case TIME -> {
                    LocalTime time = LocalTime.parse(v);
                    yield String.format(
                            Locale.ROOT, "%02d:%02d:%02d", time.getHour(), time.getMinute(), time.getSecond());
                }
            };
        } catch (ArithmeticException | IllegalArgumentException | DateTimeParseException e) {
            throw XnatError.badRequest("Invalid value for " + DocKeys.spellKey(key) + " ("
                    + t.name().toLowerCase(Locale.ROOT) + "): '" + value + "'");
        }
    }

    /** The XSD text of a schema {@link #NAMES} lists, or null. */
    static String xsd(String name) {
        if (!NAMES.contains(name)) {
            return null;
        }
        try (InputStream in = DocSchema.class.getResourceAsStream("/schemas/" + name + ".xsd")) {
            if (in == null) {
                throw new IllegalStateException("missing resource /schemas/" + name + ".xsd");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
