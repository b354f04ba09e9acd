package io.github.xnatreactive.testkit.internal;

import io.github.xnatreactive.testkit.SeedSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/** Creates synthetic projects whose files look like DICOM (preamble, {@code DICM}, a few real tags, pixel data). */
public final class Seeder {
    private static final String[] SCAN_TYPES = {"T1w", "T2w", "FLAIR", "DWI", "BOLD", "SWI", "PD", "LOCALIZER"};

    private Seeder() {}

    public static void seed(Store store, SeedSpec spec, Store.User owner) {
        Item project = store.project(spec.project());
        if (project == null) {
            project = store.createProject(spec.project(), owner);
            project.fields.put("name", spec.project() + " (synthetic)");
            project.fields.put("description", "Synthetic project seeded by the xnat-reactive testkit");
        }
        SplittableRandom random = new SplittableRandom(spec.project().hashCode());
        byte[] buf = new byte[(int) Math.min(65536, spec.fileSize())];
        for (int s = 1; s <= spec.subjects(); s++) {
            String subjectLabel = String.format(Locale.ROOT, "%s_S%03d", spec.project(), s);
            Item subject = store.subject(project, subjectLabel);
            if (subject == null) {
                subject = store.createSubject(project, subjectLabel, owner);
                subject.fields.put("demographics/gender", s % 2 == 0 ? "female" : "male");
                subject.fields.put("group", s % 2 == 0 ? "control" : "patient");
            }
            for (int e = 1; e <= spec.sessions(); e++) {
                String sessionLabel = String.format(Locale.ROOT, "%s_MR%d", subjectLabel, e);
                if (store.session(project, null, sessionLabel) != null) {
                    continue;
                }
                Item session = store.createSession(subject, sessionLabel, "xnat:mrSessionData", owner);
                session.fields.put("date", String.format(Locale.ROOT, "2024-%02d-%02d", 1 + (e % 12), 1 + (s % 28)));
                session.fields.put("modality", "MR");
                session.fields.put("scanner", "SyntheticScanner");
                session.fields.put("fieldstrength", "3.0");
                String studyUid = "1.2.826.0.1.3680043.10.1." + s + "." + e;
                for (int c = 1; c <= spec.scans(); c++) {
                    Item scan =
                            store.createSessionChild(session, Kind.SCAN, Integer.toString(c), "xnat:mrScanData", owner);
                    String type = SCAN_TYPES[(c - 1) % SCAN_TYPES.length];
                    scan.fields.put("type", type);
                    scan.fields.put("series_description", type);
                    scan.fields.put("quality", "usable");
                    scan.fields.put("frames", Integer.toString(spec.files()));
                    if (spec.files() == 0) {
                        continue; // a scan without files has no DICOM resource (no directory to make)
                    }
                    Resource dicom = store.createResource(scan, null, "DICOM");
                    dicom.format = "DICOM";
                    dicom.content = "RAW";
                    for (int f = 1; f <= spec.files(); f++) {
                        // written in place: the resource directory is new, so nothing there can be replaced
                        String name = sessionLabel + "." + c + "." + f + ".dcm";
                        Path file = dicom.dir.resolve(name);
                        Checksums sums =
                                writeDicom(file, spec.fileSize(), subjectLabel, studyUid, c, f, type, random, buf);
                        store.putEntry(
                                dicom,
                                new Resource.CatalogFile(
                                        name,
                                        spec.fileSize(),
                                        sums.md5Hex(),
                                        sums.crc(),
                                        "DICOM",
                                        "RAW",
                                        "",
                                        lastModified(file)));
                    }
                }
            }
        }
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a DICOM-like file of exactly {@code size} bytes and returns the checksums of what it wrote. */
    static Checksums writeDicom(
            Path file,
            long size,
            String patient,
            String studyUid,
            int series,
            int instance,
            String description,
            SplittableRandom random,
            byte[] buf) {
        ByteBuffer h = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[128]);
        h.put("DICM".getBytes(StandardCharsets.US_ASCII));
        explicit(h, 0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1");
        explicit(h, 0x0008, 0x0060, "CS", "MR");
        explicit(h, 0x0008, 0x103E, "LO", description);
        explicit(h, 0x0010, 0x0010, "PN", patient);
        explicit(h, 0x0020, 0x000D, "UI", studyUid);
        explicit(h, 0x0020, 0x000E, "UI", studyUid + "." + series);
        explicit(h, 0x0020, 0x0013, "IS", Integer.toString(instance));
        int headerLen = h.position();
        long remaining = size - headerLen - 12;
        try {
            Checksums sums = new Checksums();
            try (OutputStream out = sums.wrap(Files.newOutputStream(file))) {
                if (remaining >= 0) {
                    // pixel data element: (7FE0,0010) OB, reserved, 32-bit length
                    h.putShort((short) 0x7FE0).putShort((short) 0x0010);
                    h.put("OB".getBytes(StandardCharsets.US_ASCII)).putShort((short) 0);
                    h.putInt((int) Math.min(remaining, 0xFFFFFFFEL));
                    out.write(h.array(), 0, h.position());
                } else {
                    out.write(h.array(), 0, (int) Math.min(size, headerLen));
                    remaining = size - Math.min(size, headerLen);
                }
                while (remaining > 0) {
                    int n = (int) Math.min(buf.length, remaining);
                    for (int i = 0; i < n; i += 8) {
                        long r = random.nextLong();
                        for (int j = 0; j < 8 && i + j < n; j++) {
                            buf[i + j] = (byte) (r >>> (8 * j));
                        }
                    }
                    out.write(buf, 0, n);
                    remaining -= n;
                }
            }
            return sums;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void explicit(ByteBuffer b, int group, int element, String vr, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        int len = v.length + (v.length % 2);
        b.putShort((short) group).putShort((short) element);
        b.put(vr.getBytes(StandardCharsets.US_ASCII));
        b.putShort((short) len);
        b.put(v);
        if (v.length % 2 == 1) {
            b.put(vr.equals("UI") ? (byte) 0 : (byte) ' ');
        }
    }
}
