package io.github.xnatreactive.testkit.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A streaming multipart/form-data parser over a request body already spooled to disk. */
public final class Multipart {
    private Multipart() {}

    /** A form field (file == null) or a file part (value == null) spooled to {@code file} with its MD5. */
    public record Part(
            String name,
            String filename,
            String contentType,
            String value,
            Path file,
            long size,
            String md5,
            long crc) {}

    public static String boundary(String contentType) {
        for (String p : contentType.split(";")) {
            p = p.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring(9);
                if (b.startsWith("\"") && b.endsWith("\"") && b.length() >= 2) {
                    b = b.substring(1, b.length() - 1);
                }
                return b;
            }
        }
        throw XnatError.badRequest("Multipart request without a boundary.");
    }

    /** Parses the body; file parts are written to files made by {@code store.newTempFile}. */
    public static List<Part> parse(Path body, String boundary, Store store) throws IOException {
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(body);
                InputStream in = new BufferedInputStream(raw, 65536)) {
            // The first delimiter has no leading CRLF: pretend it had one.
            if (!skipUntil(in, delimiter, 2)) {
                throw XnatError.badRequest("Malformed multipart body.");
            }
            while (true) {
                int a = in.read();
                int b = in.read();
                if (a == '-' && b == '-') {
                    break;
                }
                if (a != '\r' || b != '\n') {
                    throw XnatError.badRequest("Malformed multipart body.");
                }
                Map<String, String> headers = readHeaders(in);
                String disposition = headers.getOrDefault("content-disposition", "");
                String name = param(disposition, "name");
                String filename = param(disposition, "filename");
                String ctype = headers.get("content-type");
                if (filename != null) {
                    Path file = store.newTempFile("part");
                    Checksums sums = new Checksums();
                    long size;
                    try (OutputStream os = sums.wrap(Files.newOutputStream(file))) {
                        size = copyUntil(in, delimiter, os);
                    }
                    if (size < 0) {
                        throw XnatError.badRequest("Malformed multipart body: truncated part.");
                    }
                    parts.add(new Part(name, filename, ctype, null, file, size, sums.md5Hex(), sums.crc()));
                } else {
                    ByteArrayOutputStream bo = new ByteArrayOutputStream();
                    if (copyUntil(in, delimiter, bo) < 0) {
                        throw XnatError.badRequest("Malformed multipart body: truncated part.");
                    }
                    parts.add(
                            new Part(name, null, ctype, bo.toString(StandardCharsets.UTF_8), null, bo.size(), null, 0));
                }
            }
        }
        return parts;
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String param(String header, String name) {
        for (String p : header.split(";")) {
            p = p.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = p.substring(eq + 1).trim();
                if (v.startsWith("\"") && v.endsWith("\"") && v.length() >= 2) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        return null;
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw XnatError.badRequest("Malformed multipart body: truncated headers.");
            }
            if (c == '\n') {
                String l = line.toString(StandardCharsets.UTF_8);
                if (l.endsWith("\r")) {
                    l = l.substring(0, l.length() - 1);
                }
                line.reset();
                if (l.isEmpty()) {
                    return headers;
                }
                int colon = l.indexOf(':');
                if (colon > 0) {
                    headers.put(
                            l.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            l.substring(colon + 1).trim());
                }
            } else {
                line.write(c);
                if (line.size() > 16384) {
                    throw XnatError.badRequest("Malformed multipart body: header too long.");
                }
            }
        }
    }

    /** Skips input until the delimiter (whose first {@code assumed} bytes count as already matched). */
    private static boolean skipUntil(InputStream in, byte[] delimiter, int assumed) throws IOException {
        int matched = assumed;
        int c;
        while ((c = in.read()) >= 0) {
            if (c == delimiter[matched]) {
                matched++;
                if (matched == delimiter.length) {
                    return true;
                }
            } else {
                matched = c == delimiter[0] ? 1 : 0;
            }
        }
        return false;
    }

    /** Copies bytes up to (not including) the delimiter; returns the count, or -1 if the input ended first. */
    private static long copyUntil(InputStream in, byte[] delimiter, OutputStream out) throws IOException {
        int[] failure = failure(delimiter);
        byte[] pending = new byte[65536];
        int pendingLen = 0;
        long written = 0;
        int matched = 0;
        int c;
        while ((c = in.read()) >= 0) {
            while (matched > 0 && c != (delimiter[matched] & 0xff)) {
                int keep = failure[matched - 1];
                int emit = matched - keep;
                // emit the delimiter prefix bytes that can no longer be part of a match
                for (int i = 0; i < emit; i++) {
                    if (pendingLen == pending.length) {
                        out.write(pending, 0, pendingLen);
                        written += pendingLen;
                        pendingLen = 0;
                    }
                    pending[pendingLen++] = delimiter[i];
                }
                matched = keep;
            }
            if (c == (delimiter[matched] & 0xff)) {
                matched++;
                if (matched == delimiter.length) {
                    out.write(pending, 0, pendingLen);
                    return written + pendingLen;
                }
            } else {
                if (pendingLen == pending.length) {
                    out.write(pending, 0, pendingLen);
                    written += pendingLen;
                    pendingLen = 0;
                }
                pending[pendingLen++] = (byte) c;
            }
        }
        return -1;
    }

    private static int[] failure(byte[] p) {
        int[] f = new int[p.length];
        int k = 0;
        for (int i = 1; i < p.length; i++) {
            while (k > 0 && p[i] != p[k]) {
                k = f[k - 1];
            }
            if (p[i] == p[k]) {
                k++;
            }
            f[i] = k;
        }
        return f;
    }
}
