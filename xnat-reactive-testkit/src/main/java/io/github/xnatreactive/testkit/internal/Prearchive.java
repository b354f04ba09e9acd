package io.github.xnatreactive.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The prearchive: sessions that arrived through the import service and wait to be archived, each in a folder
 * {@code {project}/{timestamp}/{session}/SCANS/{scan}/DICOM/} under the data directory, as XNAT keeps them. Guarded
 * by the {@link Store}'s lock like everything else: reach it through {@code store.prearchive()} inside a
 * transaction.
 */
public final class Prearchive {
    /** The project of sessions whose project is not known. */
    public static final String UNASSIGNED = "Unassigned";

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmssSSS");

    private final Path root;
    private final List<Session> sessions = new ArrayList<>();
    private String lastTimestamp = "";

    Prearchive(Path root) {
        this.root = root;
    }

    /** XNAT's prearchive states. */
    public enum Status {
        RECEIVING,
        BUILDING,
        READY,
        ARCHIVING,
        MOVING,
        DELETING,
        CONFLICT,
        ERROR
    }

    /** One file of a prearchived scan. */
    public record FileInfo(String name, long size, String md5, long crc, String sopInstanceUid) {}

    /** One scan (series) of a prearchive session. */
    public static final class Scan {
        public final String id;
        public final String seriesUid;
        public String description;
        public String modality;
        public final TreeMap<String, FileInfo> files = new TreeMap<>();

        Scan(String id, String seriesUid) {
            this.id = id;
            this.seriesUid = seriesUid;
        }

        public long size() {
            long n = 0;
            for (FileInfo f : files.values()) {
                n += f.size();
            }
            return n;
        }
    }

    /** One prearchive session: a study of one project, in one timestamp folder. */
    public static final class Session {
        public String project;
        public final String timestamp;
        public final String folderName;
        public String name;
        public String subject;
        /** The Study Instance UID. */
        public final String tag;

        public String scanDate = "";
        public String scanTime = "";
        public String modality = "";
        public String uploaded;
        public String lastmod;
        public Status status = Status.RECEIVING;
        public boolean autoArchive;
        public String source = "";
        public final Map<String, Scan> scans = new LinkedHashMap<>();
        final List<String> log = new ArrayList<>();

        Session(String project, String timestamp, String folderName, String tag) {
            this.project = project;
            this.timestamp = timestamp;
            this.folderName = folderName;
            this.name = folderName;
            this.tag = tag;
            this.uploaded = Store.now();
            this.lastmod = uploaded;
        }

        /** {@code /prearchive/projects/{project}/{timestamp}/{folder}}, as XNAT's listings give it (no /data). */
        public String url() {
            return "/prearchive/projects/" + project + "/" + timestamp + "/" + folderName;
        }

        public int fileCount() {
            int n = 0;
            for (Scan s : scans.values()) {
                n += s.files.size();
            }
            return n;
        }
    }

    public List<Session> sessions() {
        return new ArrayList<>(sessions);
    }

    public Session find(String project, String timestamp, String folder) {
        for (Session s : sessions) {
            if (s.project.equals(project) && s.timestamp.equals(timestamp) && s.folderName.equals(folder)) {
                return s;
            }
        }
        return null;
    }

    /** The session a new file of this study joins: same project, study and label, not yet on its way out. */
    public Session receiving(String project, String studyUid, String label) {
        for (Session s : sessions) {
            if (s.project.equals(project)
                    && s.tag.equals(studyUid)
                    && s.folderName.equals(label)
                    && (s.status == Status.RECEIVING || s.status == Status.READY || s.status == Status.ERROR)) {
                return s;
            }
        }
        return null;
    }

    /** A timestamp for a new upload, unique within this prearchive. */
    public String newTimestamp() {
        String t = LocalDateTime.now().format(TIMESTAMP);
        if (t.compareTo(lastTimestamp) <= 0) {
            // same millisecond as the last one: step on from it
            t = LocalDateTime.parse(lastTimestamp, TIMESTAMP)
                    .plusNanos(1_000_000)
                    .format(TIMESTAMP);
        }
        lastTimestamp = t;
        return t;
    }

    public Session create(String project, String timestamp, String folder, String studyUid) {
        Session s = new Session(project, timestamp, folder, studyUid);
        sessions.add(s);
        try {
            Files.createDirectories(dir(s));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    public Path dir(Session s) {
        return root.resolve(s.project).resolve(s.timestamp).resolve(s.folderName);
    }

    public Path dir(Session s, Scan scan) {
        return dir(s).resolve("SCANS").resolve(scan.id).resolve("DICOM");
    }

    /** Removes the session and its folder. */
    public void remove(Session s) {
        sessions.remove(s);
        Store.deleteTree(dir(s));
        deleteIfEmpty(root.resolve(s.project).resolve(s.timestamp));
    }

    /** Moves the session to another project's prearchive (its folder too). */
    public void move(Session s, String project) {
        Path from = dir(s);
        Path timestampDir = root.resolve(s.project).resolve(s.timestamp);
        s.project = project;
        Path to = dir(s);
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        deleteIfEmpty(timestampDir);
        s.lastmod = Store.now();
    }

    private static void deleteIfEmpty(Path dir) {
        try (var list = Files.list(dir)) {
            if (list.findAny().isEmpty()) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException ignored) {
            // gone already, or not empty: nothing to tidy
        }
    }
}
