package io.github.xnatreactive.testkit;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A synthetic project to create at start: {@code subjects} x {@code sessions} per subject x {@code scans} per session
 * x {@code files} per scan (in resource {@code DICOM}) of {@code fileSize} bytes each, DICOM-like.
 *
 * <p>Command-line form: {@code PROJECT:SxExCxFxB}, for example {@code DEMO:2x3x4x10x64K} (sizes take K, M or G).
 * Subjects are labelled {@code DEMO_S001}..., sessions {@code DEMO_S001_MR1}..., scans {@code 1}... with types
 * {@code T1w}, {@code T2w}, {@code FLAIR}... in turn. With 0 files per scan, scans have no {@code DICOM} resource
 * (a cheap way to seed many rows for searches and listings).
 *
 * <pre>{@code
 * SeedSpec demo = SeedSpec.parse("DEMO:2x1x2x3x4K"); // 2 subjects x 1 session x 2 scans x 3 files of 4 KiB
 * long files = demo.totalFiles(); // 12
 * XnatTestServer.Builder builder = XnatTestServer.builder().seed(demo);
 * }</pre>
 *
 * @param project the project's ID (letters, digits, {@code _} and {@code -})
 * @param subjects the number of subjects
 * @param sessions the number of imaging sessions per subject
 * @param scans the number of scans per session
 * @param files the number of files per scan, in its {@code DICOM} resource
 * @param fileSize the size of each file in bytes, at least 132 (DICOM preamble and magic)
 */
public record SeedSpec(String project, int subjects, int sessions, int scans, int files, long fileSize) {
    private static final Pattern FORM =
            Pattern.compile("([A-Za-z0-9_\\-]+):(\\d+)x(\\d+)x(\\d+)x(\\d+)x(\\d+[KkMmGg]?)");

    /**
     * Creates the spec and checks it.
     *
     * @param project the project's ID (letters, digits, {@code _} and {@code -})
     * @param subjects the number of subjects, 0 or more
     * @param sessions the number of imaging sessions per subject, 0 or more
     * @param scans the number of scans per session, 0 or more
     * @param files the number of files per scan, 0 or more
     * @param fileSize the size of each file in bytes, at least 132
     * @throws IllegalArgumentException for a bad project ID, a negative count or a size below 132
     */
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

    /**
     * How many files this seed creates.
     *
     * @return subjects x sessions x scans x files
     */
    public long totalFiles() {
        return (long) subjects * sessions * scans * files;
    }

    /**
     * Parses the command-line form.
     *
     * @param spec {@code PROJECT:SUBJECTSxSESSIONSxSCANSxFILESxBYTES}, e.g. {@code DEMO:2x3x4x10x64K}
     * @return the spec
     * @throws IllegalArgumentException for another form or invalid values
     */
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

    /**
     * Parses a byte count with an optional K, M or G suffix (powers of 1024).
     *
     * @param s e.g. {@code 512}, {@code 64K}, {@code 2M}, {@code 1G}
     * @return the number of bytes
     * @throws NumberFormatException when {@code s} is not a number with an optional suffix
     * @throws ArithmeticException when the size does not fit in a long
     */
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
