package io.github.xnatreactive.testkit.internal;

import io.github.xnatreactive.dicom.DicomElement;
import io.github.xnatreactive.dicom.DicomFormatException;
import io.github.xnatreactive.dicom.DicomHeader;
import io.github.xnatreactive.dicom.DicomReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /data/services/dicomdump?src=...} (XNAT's DicomDump): the header of the first DICOM file of a scan, or
 * of a session's first scan that has one, as a listing with XNAT's columns {@code tag1}, {@code tag2}, {@code vr},
 * {@code value} and {@code desc}. {@code src} is an archive path ({@code /archive/projects/P/experiments/E},
 * with {@code /subjects/S} or not, {@code /archive/experiments/E}, then optionally {@code /scans/S}) or a
 * prearchive one ({@code /prearchive/projects/P/{timestamp}/{session}[/scans/S]}).
 */
final class DicomDumpService {
    private static final Set<String> BINARY = Set.of("OB", "OW", "OF", "OD", "OL", "OV", "UN", "SQ");

    private DicomDumpService() {}

    static Reply dump(Call c) {
        String src = c.query.get("src");
        if (src == null || src.isBlank()) {
            throw XnatError.badRequest("The src parameter is required.");
        }
        String[] p = (src.startsWith("/data/") ? src.substring(5) : src)
                .replaceAll("/+$", "")
                .split("/");
        Path file = p.length > 1 && p[1].equals("prearchive") ? prearchived(c, p, src) : archived(c, p, src);
        DicomHeader h;
        try {
            h = DicomReader.read(file);
        } catch (DicomFormatException e) {
            throw new XnatError(
                    500, "Unable to read the DICOM header of " + file.getFileName() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Table t = new Table(List.of("tag1", "tag2", "vr", "value", "desc"));
        for (DicomElement e : h.elements()) {
            Map<String, String> r = t.addRow();
            r.put("tag1", String.format("(%04X,%04X)", e.tag() >>> 16, e.tag() & 0xFFFF));
            r.put("tag2", "");
            r.put("vr", e.vr());
            r.put("value", BINARY.contains(e.vr()) ? "" : value(h, e));
            r.put("desc", e.name());
        }
        return t.render(c.query.get("format"));
    }

    private static String value(DicomHeader h, DicomElement e) {
        List<Number> numbers = e.numbers();
        if (!numbers.isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (Number n : numbers) {
                b.append(b.length() == 0 ? "" : "\\").append(n);
            }
            return b.toString();
        }
        return String.join("\\", h.decode(e));
    }

    private static Path prearchived(Call c, String[] p, String src) {
        if (p.length != 6 && !(p.length == 8 && p[6].equals("scans")) || !p[2].equals("projects")) {
            throw XnatError.badRequest("Invalid src: " + src);
        }
        PrearchiveHandlers.access(c, p[3]);
        Prearchive.Session s = c.store.prearchive().find(p[3], p[4], p[5]);
        if (s == null) {
            throw XnatError.notFound("No prearchive session " + src);
        }
        for (Prearchive.Scan scan : s.scans.values()) {
            if ((p.length == 6 || scan.id.equals(p[7])) && !scan.files.isEmpty()) {
                return c.store.prearchive().dir(s, scan).resolve(scan.files.firstKey());
            }
        }
        throw XnatError.notFound("No DICOM file in " + src);
    }

    private static Path archived(Call c, String[] p, String src) {
        int i = 2;
        Item session;
        if (p.length > 3 && p[1].equals("archive") && p[2].equals("experiments")) {
            session = c.store.experimentById(p[3]);
            if (session != null) {
                Targets.readable(c, session.project);
            }
            i = 4;
        } else if (p.length > 5 && p[1].equals("archive") && p[2].equals("projects")) {
            Item project = Targets.visibleProject(c, p[3], false);
            Targets.readable(c, project);
            i = 4;
            if (p[i].equals("subjects") && p.length > i + 3) {
                i += 2;
            }
            if (!p[i].equals("experiments")) {
                throw XnatError.badRequest("Invalid src: " + src);
            }
            session = c.store.session(project, null, p[i + 1]);
            i += 2;
        } else {
            throw XnatError.badRequest("Invalid src: " + src);
        }
        if (session == null || session.kind != Kind.SESSION) {
            throw XnatError.notFound("No session at " + src);
        }
        String scanId = null;
        if (p.length == i + 2 && p[i].equals("scans")) {
            scanId = p[i + 1];
        } else if (p.length != i) {
            throw XnatError.badRequest("Invalid src: " + src);
        }
        for (Item scan : session.children(Kind.SCAN)) {
            if (scanId != null && !scan.id.equals(scanId)) {
                continue;
            }
            for (Resource r : scan.resources) {
                if (!r.files.isEmpty() && (r.label.equals("DICOM") || r.format.equals("DICOM"))) {
                    return c.store.pathOf(r, r.files.firstEntry().getValue());
                }
            }
        }
        throw XnatError.notFound("No DICOM file in " + src);
    }
}
