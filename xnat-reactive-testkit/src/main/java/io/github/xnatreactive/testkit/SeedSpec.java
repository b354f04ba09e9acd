package io.github.xnatreactive.testkit;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A synthetic project to create at start: {@code subjects} x {@code sessions} per subject x {@code scans} per session
 * x {@code files} per scan (in resource {@code DICOM}) of {@code fileSize} bytes each, DICOM-like.
 *
 * <p>Command-line form: {@code PROJECT:SxExCxFxB}, for example {@code DEMO:2x3x4x10x64K} (sizes take K, M or G).
 */
public record SeedSpec(String project, int subjects, int sessions, int scans, int files, long fileSize) {
    private static final Pattern FORM =
            Pattern.compile("([A-Za-z0-9_\\-]+):(\\d+)x(\\d+)x(\\d+)x(\\d+)x(\\d+[KkMmGg]?)");

    public SeedSpec {
        if (project == null || !project.matches("[A-Za-z0-9_\\-]+")) {
            throw new IllegalArgumentException("Bad project ID in seed spec: " + project);
        }
        if (subjects < 0 || sessions < 0 || scans < 0 || files < 0) {
            throw new IllegalArgumentException("Counts in a seed spec must be >= 0");
        }
        if (fileSize < 132) {
            throw new IllegalArgumentException("Seeded files need at least 132 bytes (DICOM preamble and magic)");
        }
    }

    /** Total number of files this seed creates. */
    public long totalFiles() {
        return (long) subjects * sessions * scans * files;
    }

    public static SeedSpec parse(String spec) {
        Matcher m = FORM.matcher(spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("Bad seed spec '" + spec
                    + "': expected PROJECT:SUBJECTSxSESSIONSxSCANSxFILESxBYTES, e.g. DEMO:2x3x4x10x64K");
        }
        return new SeedSpec(
                m.group(1),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(5)),
                parseSize(m.group(6)));
    }

    /** Parses a byte count with an optional K, M or G (binary) suffix. */
    public static long parseSize(String s) {
        String v = s.trim().toUpperCase(Locale.ROOT);
        long mul = 1;
        if (v.endsWith("K")) {
            mul = 1024;
        } else if (v.endsWith("M")) {
            mul = 1024 * 1024;
        } else if (v.endsWith("G")) {
            mul = 1024L * 1024 * 1024;
        }
        if (mul > 1) {
            v = v.substring(0, v.length() - 1);
        }
        return Math.multiplyExact(Long.parseLong(v), mul);
    }
}
