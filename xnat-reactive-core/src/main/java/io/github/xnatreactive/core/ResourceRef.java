package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.BodyReaders;
import io.github.xnatreactive.core.internal.Request;
import io.github.xnatreactive.core.internal.Uris;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A resource (a labelled file catalog) of a project, subject, experiment, scan, assessor or reconstruction.
 *
 * Made with the {@code resource(label)} method of the owner's ref; no I/O until a method's result is subscribed.
 *
 * <pre>{@code
 * ResourceRef dicom = session.scan("1").resource("DICOM");
 * List<String> names = dicom.files().map(FileEntry::path).collectList().block();
 * List<Path> written = dicom.downloadArchive(dir).block(); // extracted as XNAT lays it out
 * }</pre>
 */
public final class ResourceRef extends ArchiveRef {
    private final ArchiveRef owner;
    private final String direction;

    ResourceRef(ArchiveRef owner, String direction, String label) {
        super(
                owner.client,
                owner.path + (direction == null ? "" : "/" + direction) + "/resources/" + Uris.segment(label),
                owner.template + (direction == null ? "" : "/" + direction) + "/resources/{resource}",
                label);
        this.owner = owner;
        this.direction = direction;
    }

    /**
     * The object the resource belongs to.
     *
     * @return the project, subject, experiment, scan, assessor or reconstruction ref this ref was made from
     */
    public ArchiveRef owner() {
        return owner;
    }

    /**
     * Which side of derived data the resource is on.
     *
     * @return {@code in} or {@code out} for the in and out resources of an assessor or reconstruction, else null
     */
    public String direction() {
        return direction;
    }

    /**
     * Lists the resource's files.
     *
     * @return the files with path, size and MD5 digest; {@link XnatNotFoundException} when the resource does not
     *     exist
     */
    public Flux<FileEntry> files() {
        return client.rows(path + "/files", template + "/files", Map.of()).map(FileEntry::from);
    }

    /**
     * Names a file of the resource. No I/O.
     *
     * @param relativePath the file's path inside the resource, with {@code /} between folders
     *     ({@code sub/dir/1.dcm})
     * @return a ref to the file
     */
    public FileRef file(String relativePath) {
        return new FileRef(this, relativePath);
    }

    /** Probes the resource's catalog (there is no JSON document of a resource). */
    @Override
    Request existsRequest() {
        return Request.get(path).template(template).build();
    }

    /**
     * Creates the resource with catalog metadata. Unlike the other refs' {@code create}, this does not update an
     * existing resource.
     *
     * @param format the resource's format, e.g. {@code DICOM}
     * @param content the resource's content label, e.g. {@code RAW}
     * @param tags free-form tags; none for no tags
     * @return the resource's label (the one this ref was made with), when created; {@link XnatConflictException}
     *     when the resource exists
     */
    public Mono<String> create(String format, String content, String... tags) {
        Request.Builder b =
                Request.put(path).template(template).param("format", format).param("content", content);
        for (String t : tags) {
            b.param("tags", t);
        }
        return client.transport().discard(b.build()).thenReturn(id);
    }

    /**
     * Creates the resource without metadata.
     *
     * @return the resource's label, when created; {@link XnatConflictException} when the resource exists
     */
    public Mono<String> create() {
        return client.transport()
                .discard(Request.put(path).template(template).build())
                .thenReturn(id);
    }

    /**
     * Deletes the resource and its files, from the server's disk too.
     *
     * @return completes when deleted, also when the resource did not exist (XNAT answers 200)
     */
    public Mono<Void> delete() {
        return deleteWith(true);
    }

    /**
     * Uploads a zip, tar or tar.gz and has the server extract it into the resource. The resource is created when
     * missing.
     *
     * @param archive the local archive file
     * @param options overwrite and catalog metadata; extraction is turned on whatever they say
     * @return what the server stored; files that existed and were kept are in {@link UploadResult#duplicates()}
     */
    public Mono<UploadResult> uploadArchive(Path archive, UploadOptions options) {
        return file(archive.getFileName().toString()).upload(archive, options.extract(true));
    }

    /**
     * Downloads the resource as one archive and extracts it into {@code dir} while it streams (XNAT's layout:
     * {@code {label}/.../resources/{resource}/files/...}). Entries that would land outside {@code dir} fail it.
     *
     * @param dir the folder to extract into; created when missing
     * @return the files written, in archive order; {@link XnatProtocolException} for an unsafe entry or an empty
     *     archive
     */
    public Mono<List<Path>> downloadArchive(Path dir) {
        return ArchiveDownload.extract(client, path + "/files", template + "/files", dir);
    }

    /**
     * Downloads the resource's files as one zip file at {@code target}, not extracted (pyxnat's
     * {@code get(extract=False)}): XNAT's {@code files?format=zip}, entries laid out as XNAT does
     * ({@code .../resources/{label}/files/{path}}). The archive is checked before it takes the target's place: the
     * body against its {@code Content-Length}, each entry against its recorded size and CRC, and the entries against
     * the resource's listing (same number of files, each listed file with its size). Nothing is left at the target
     * when a check fails.
     *
     * @param target the zip file to write (missing folders are created); an existing file is replaced
     * @return the target path; {@link XnatIntegrityException} when the archive is cut, damaged or does not match the
     *     listing, {@link XnatNotFoundException} when the resource does not exist
     */
    public Mono<Path> downloadZip(Path target) {
        Request req = Request.get(path + "/files")
                .template(template + "/files")
                .param("format", "zip")
                .build();
        return ArchiveDownload.keepZip(client, req, path + "/files?format=zip", target, files().collectList());
    }

    /**
     * The resource's files as one zip archive ({@code files?format=zip}), its bytes streamed as they arrive, each
     * chunk a fresh heap buffer the consumer owns. Entries follow XNAT's layout
     * ({@code {session}/scans/{id}-{type}/resources/{label}/files/{path}}, {@code {session}/resources/{label}/files/...};
     * STORED by default). When the client retries a cut response, the bytes already delivered are skipped in the
     * new one, so the consumer sees the archive once. Nothing is checked here: compare each entry with
     * {@link #files()}.
     *
     * <pre>{@code
     * Flux<ByteBuffer> zip = session.scan("1").resource("DICOM").zipContent();
     * }</pre>
     *
     * @return the archive's bytes as they arrive; an {@link XnatNotFoundException} when the resource has no files
     */
    public Flux<java.nio.ByteBuffer> zipContent() {
        return Flux.defer(() -> {
            Request req = Request.get(path + "/files")
                    .template(template + "/files")
                    .param("format", "zip")
                    .build();
            return client.transport().exchange(req, BodyReaders.resumableBuffers(path + "/files?format=zip"));
        });
    }

    Request.Builder uploadParams(Request.Builder b, UploadOptions o) {
        b.param("inbody", "true").param("overwrite", Boolean.toString(o.overwrite()));
        b.param("format", o.format()).param("content", o.content());
        for (String t : o.tags()) {
            b.param("tags", t);
        }
        if (o.extract()) {
            b.param("extract", "true");
        }
        return b;
    }

    /**
     * Has XNAT refresh this resource's catalog (XNAT's {@code POST /data/services/refresh/catalog} with the
     * resource's archive path), e.g. after files were written into its archive folder behind XNAT's back. XNAT
     * answers when the refresh is done.
     *
     * <pre>{@code
     * resource.refreshCatalog(RefreshOptions.none().append(true).populateStats(true)).block();
     * List<String> names = resource.files().map(FileEntry::path).collectList().block(); // with the new files
     * }</pre>
     *
     * @param options what the refresh does, not null; {@link RefreshOptions#none()} lets XNAT do all of it
     * @return completes empty when XNAT has refreshed; an {@link XnatNotFoundException} when the resource does not
     *     exist, an {@link XnatForbiddenException} when the user may not edit it
     */
    public Mono<Void> refreshCatalog(RefreshOptions options) {
        return refresh(java.util.Objects.requireNonNull(options, "options"));
    }
}
