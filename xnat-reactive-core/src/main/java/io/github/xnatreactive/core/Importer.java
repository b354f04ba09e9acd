package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.Request;
import io.github.xnatreactive.core.internal.ZipStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * XNAT's import service ({@code POST /data/services/import}): sends DICOM, which XNAT reads to build sessions (one
 * per Study Instance UID, a scan per series) in the prearchive or the archive. A zip, tar or tar.gz file goes as it
 * is; a directory or a flux of files is zipped on the fly while it is sent, with no archive on disk. Get one from
 * {@link XnatClient#importer()}.
 *
 * <pre>{@code
 * ImportResult sent = xnat.importer().directory(studyDir, ImportOptions.toPrearchive("LAB")).block();
 * PrearchiveSessionRef session = xnat.prearchive().session(sent.prearchived().get(0));
 * String archived = session.waitFor(PrearchiveStatus.READY, Duration.ofMinutes(5))
 *         .then(session.archive())
 *         .block(); // /data/archive/projects/LAB/subjects/.../experiments/...
 * }</pre>
 *
 * <p>An import is a POST and is never replayed once sent. Errors are typed: a file that is not DICOM, an empty
 * upload or bad parameters are {@link XnatHttpException}s with status 400, an unknown project
 * {@link XnatNotFoundException}, no permission {@link XnatForbiddenException}, a session that exists
 * {@link XnatConflictException}.
 */
public final class Importer {
    private static final String PATH = "/data/services/import";

    private final XnatClient client;

    Importer(XnatClient client) {
        this.client = client;
    }

    /**
     * Imports a zip, tar or tar.gz archive of DICOM files as it is.
     *
     * @param archive the archive; its name's ending ({@code .zip}, {@code .tar}, {@code .tar.gz}, {@code .tgz})
     *     gives its type
     * @param options destination, labels and flags
     * @return the sessions created; {@link java.io.UncheckedIOException} when the file cannot be read
     */
    public Mono<ImportResult> archive(Path archive, ImportOptions options) {
        Objects.requireNonNull(options, "options");
        String type = archiveType(archive);
        return Mono.fromCallable(() -> Files.size(archive))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(IOException.class, e -> new UncheckedIOException("Cannot read " + archive, e))
                .flatMap(size -> send(request(options, "DICOM-zip").file(type, archive, size)));
    }

    /**
     * Imports every regular file below a directory, zipped on the fly (STORED, with a Content-Length) while it is
     * sent. Entry names are the files' paths relative to the directory.
     *
     * @param dir the directory
     * @param options destination, labels and flags
     * @return the sessions created; {@link java.io.UncheckedIOException} when the directory cannot be read
     */
    public Mono<ImportResult> directory(Path dir, ImportOptions options) {
        Objects.requireNonNull(options, "options");
        return Mono.fromCallable(() -> walk(dir))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(listed -> {
                    List<ZipStream.Entry> entries = listed.entries();
                    long length = ZipStream.length(entries, listed.sizes());
                    return send(request(options, "DICOM-zip")
                            .body("application/zip", length, () -> ZipStream.of(Flux.fromIterable(entries))));
                });
    }

    /**
     * Imports files as they arrive, zipped on the fly while they are sent (chunked, since the total is not known
     * before the last file). Entry names are the files' names.
     *
     * @param files the DICOM files; subscribed once
     * @param options destination, labels and flags
     * @return the sessions created
     */
    public Mono<ImportResult> files(Flux<Path> files, ImportOptions options) {
        Objects.requireNonNull(options, "options");
        Flux<ZipStream.Entry> entries =
                files.map(p -> new ZipStream.Entry(p.getFileName().toString(), p));
        return send(request(options, "DICOM-zip").body("application/zip", -1, () -> ZipStream.of(entries)));
    }

    /**
     * Imports one DICOM instance (XNAT's gradual-DICOM handler, {@code Content-Type: application/dicom}); repeated
     * calls for instances of one study add to the same prearchive session.
     *
     * @param dicomFile the DICOM Part 10 file
     * @param options destination, labels and flags
     * @return the session it went to; {@link java.io.UncheckedIOException} when the file cannot be read
     */
    public Mono<ImportResult> instance(Path dicomFile, ImportOptions options) {
        Objects.requireNonNull(options, "options");
        return Mono.fromCallable(() -> Files.size(dicomFile))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(IOException.class, e -> new UncheckedIOException("Cannot read " + dicomFile, e))
                .flatMap(size -> send(request(options, "gradual-DICOM").file("application/dicom", dicomFile, size)));
    }

    private Request.Builder request(ImportOptions options, String handler) {
        return Request.post(PATH)
                .template(PATH)
                .params(options.toParams())
                .param("import-handler", handler)
                .param("inbody", "true")
                .idempotent(false);
    }

    private Mono<ImportResult> send(Request.Builder b) {
        return client.transport().text(b.build()).map(ImportResult::parse);
    }

    static String archiveType(Path archive) {
        String n = archive.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".zip")) {
            return "application/zip";
        }
        if (n.endsWith(".tar")) {
            return "application/x-tar";
        }
        if (n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
            return "application/x-gzip";
        }
        throw new IllegalArgumentException("Not a zip, tar or tar.gz file: " + archive.getFileName());
    }

    private record Listed(List<ZipStream.Entry> entries, List<Long> sizes) {}

    private static Listed walk(Path dir) {
        List<ZipStream.Entry> entries = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                entries.add(new ZipStream.Entry(dir.relativize(p).toString().replace('\\', '/'), p));
                sizes.add(Files.size(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + dir, e);
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("No files below " + dir);
        }
        return new Listed(entries, sizes);
    }
}
