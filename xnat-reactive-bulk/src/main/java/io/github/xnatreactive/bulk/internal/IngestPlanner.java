package io.github.xnatreactive.bulk.internal;

import io.github.xnatreactive.dicom.DicomFormatException;
import io.github.xnatreactive.dicom.DicomHeader;
import io.github.xnatreactive.dicom.DicomReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Plans an ingest: walks a directory tree, reads every file's DICOM header on the client (on
 * {@code boundedElastic}, several at a time) and groups the files by Study Instance UID, one group per import.
 * A file that is not DICOM, or lacks the UIDs XNAT files it by, is set aside with the reason.
 */
public final class IngestPlanner {
    private static final int READERS = 8;

    private IngestPlanner() {}

    /** The files of one study, in path order, and their total size. */
    public record Study(String studyInstanceUid, List<Path> files, long bytes) {}

    /** A file that will not be imported, and why. */
    public record Rejected(Path file, String reason) {}

    /** Every file of the tree, each in one study or rejected. */
    public record Plan(List<Study> studies, List<Rejected> rejected) {}

    private record Read(Path file, long size, String study, String problem) {}

    /** Walks {@code dir} and reads the headers; the studies come in the order of their first file's path. */
    public static Mono<Plan> plan(Path dir) {
        return Mono.fromCallable(() -> walk(dir))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(Flux::fromIterable)
                .flatMapSequential(
                        f -> Mono.fromCallable(() -> read(f)).subscribeOn(Schedulers.boundedElastic()), READERS)
                .collectList()
                .map(IngestPlanner::group);
    }

    private static List<Path> walk(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("Not a directory: " + dir);
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir, e);
        }
    }

    private static Read read(Path f) {
        try {
            long size = Files.size(f);
            DicomHeader h = DicomReader.read(f);
            String study = h.string(DicomHeader.STUDY_INSTANCE_UID);
            if (blank(h.string(DicomHeader.SOP_INSTANCE_UID)) || blank(h.string(DicomHeader.SOP_CLASS_UID))) {
                return new Read(f, size, null, "no SOP Class or SOP Instance UID: not an image XNAT imports");
            }
            if (blank(study)) {
                return new Read(f, size, null, "no Study Instance UID");
            }
            return new Read(f, size, study, null);
        } catch (DicomFormatException e) {
            return new Read(f, 0, null, "not DICOM: " + e.getMessage());
        } catch (IOException e) {
            return new Read(f, 0, null, "cannot read: " + e);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Plan group(List<Read> reads) {
        Map<String, List<Read>> byStudy = new LinkedHashMap<>();
        List<Rejected> rejected = new ArrayList<>();
        for (Read r : reads) {
            if (r.problem() != null) {
                rejected.add(new Rejected(r.file(), r.problem()));
            } else {
                byStudy.computeIfAbsent(r.study(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Study> studies = new ArrayList<>();
        TreeMap<Path, Study> ordered = new TreeMap<>();
        for (Map.Entry<String, List<Read>> e : byStudy.entrySet()) {
            long bytes = 0;
            List<Path> files = new ArrayList<>();
            for (Read r : e.getValue()) {
                bytes += r.size();
                files.add(r.file());
            }
            ordered.put(files.get(0), new Study(e.getKey(), files, bytes));
        }
        studies.addAll(ordered.values());
        return new Plan(studies, rejected);
    }
}
