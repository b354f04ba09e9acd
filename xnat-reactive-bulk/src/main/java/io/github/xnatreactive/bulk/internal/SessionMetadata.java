package io.github.xnatreactive.bulk.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.ObjectMapper;

/**
 * What a downloaded session folder says about the session, in {@code xnat-session.json}: labels, data types and
 * fields of the session, its scans, assessors and reconstructions, and which folder holds each. An upload reads it
 * to recreate the hierarchy with the same types.
 */
public final class SessionMetadata {
    public static final String FILE = "xnat-session.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public String project;
    public String subject;
    public String label;
    public String id;
    public String xsiType;
    public Map<String, String> fields = new LinkedHashMap<>();
    public List<Child> scans = new ArrayList<>();
    public List<Child> assessors = new ArrayList<>();
    public List<Child> reconstructions = new ArrayList<>();

    /** A scan, assessor or reconstruction and the folder (under scans/, assessors/...) that holds its files. */
    public static final class Child {
        public String id;
        public String label;
        public String xsiType;
        public String type;
        public String dir;
        public Map<String, String> fields = new LinkedHashMap<>();

        public Child() {}

        public Child(String id, String label, String xsiType, String type, String dir) {
            this.id = id;
            this.label = label;
            this.xsiType = xsiType;
            this.type = type;
            this.dir = dir;
        }
    }

    public void write(Path sessionDir) throws IOException {
        Files.createDirectories(sessionDir);
        // serialized first, so that the temporary file exists only for a write and a rename (a run cancelled by
        // Ctrl-C while the JVM goes down leaves none); a run that finds one replaces it
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        Path tmp = sessionDir.resolve(FILE + ".part");
        try {
            Files.write(tmp, bytes);
            Files.move(
                    tmp, sessionDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** The metadata of a session folder, or null when it has none. */
    public static SessionMetadata read(Path sessionDir) throws IOException {
        Path f = sessionDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return JSON.readValue(f.toFile(), SessionMetadata.class);
        } catch (RuntimeException e) {
            throw new IOException("Unreadable " + f + ": " + e.getMessage(), e);
        }
    }

    /** A folder name for a scan: {@code {id}-{type}} with unsafe characters replaced, as XNAT names it in zips. */
    public static String scanDir(String id, String type) {
        String t = type == null || type.isEmpty() ? "" : "-" + type.replaceAll("\\W", "_");
        return safe(id) + t;
    }

    /** A name safe as one path segment. */
    public static String safe(String s) {
        String r = s.replaceAll("[/\\\\:\\x00]", "_");
        return r.equals(".") || r.equals("..") || r.isEmpty() ? "_" + r : r;
    }
}
