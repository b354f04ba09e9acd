package io.github.xnatreactive.testkit.internal;

import io.github.xnatreactive.testkit.SeedSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Creates synthetic projects whose files are small DICOM Part 10 files ({@link DicomWriter}): patient name = subject
 * label, patient ID = session label, one study per session and one series per scan, as an import would file them.
 */
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
                        String date = session.field("date").replace("-", "");
                        DicomWriter.Instance instance = new DicomWriter.Instance(
                                subjectLabel,
                                sessionLabel,
                                studyUid,
                                date,
                                spec.project(),
                                studyUid + "." + c,
                                c,
                                type,
                                f);
                        Checksums sums = DicomWriter.write(file, spec.fileSize(), instance, random, buf);
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
}
