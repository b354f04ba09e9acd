package io.github.xnatreactive.core;

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
 * <pre>{@code
 * ResourceRef dicom = session.scan("1").resource("DICOM");
 * dicom.files().map(FileEntry::path).collectList().block();
 * dicom.file("1.dcm").download(Path.of("out/1.dcm")).block();
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

    /** The object the resource belongs to. */
    public ArchiveRef owner() {
        return owner;
    }

    /** {@code in} or {@code out} for assessor and reconstruction resources, else null. */
    public String direction() {
        return direction;
    }

    /** The resource's files, with size and MD5 digest. */
    public Flux<FileEntry> files() {
        return client.rows(path + "/files", template + "/files", Map.of()).map(FileEntry::from);
    }

    /** A file by its path inside the resource ({@code sub/dir/1.dcm}). No I/O. */
    public FileRef file(String relativePath) {
        return new FileRef(this, relativePath);
    }

    /** Probes the resource's catalog (there is no JSON document of a resource). */
    @Override
    Request existsRequest() {
        return Request.get(path).template(template).build();
    }

    /** Creates the resource; 409 ({@link XnatConflictException}) when it exists. */
    public Mono<Void> create(String format, String content, String... tags) {
        Request.Builder b =
                Request.put(path).template(template).param("format", format).param("content", content);
        for (String t : tags) {
            b.param("tags", t);
        }
        return client.transport().discard(b.build());
    }

    public Mono<Void> create() {
        return client.transport().discard(Request.put(path).template(template).build());
    }

    /** Deletes the resource and its files (XNAT answers 200 even when it did not exist). */
    public Mono<Void> delete() {
        return deleteWith(true);
    }

    /** Uploads a zip, tar or tar.gz and has the server extract it into the resource. */
    public Mono<UploadResult> uploadArchive(Path archive, UploadOptions options) {
        return file(archive.getFileName().toString()).upload(archive, options.extract(true));
    }

    /**
     * Downloads the resource as one archive and extracts it into {@code dir} while it streams (XNAT's layout:
     * {@code {label}/.../resources/{resource}/files/...}). Entries that would land outside {@code dir} fail it.
     */
    public Mono<List<Path>> downloadArchive(Path dir) {
        return ArchiveDownload.extract(client, path + "/files", template + "/files", dir);
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
     * Has XNAT refresh this resource's catalog (its {@code POST /data/services/refresh/catalog}), e.g. after files were written
     * into the archive folder behind XNAT's back. XNAT answers when the refresh is done.
     *
     * <pre>{@code
     * resource.refreshCatalog(RefreshOptions.none().append(true).populateStats(true)).block();
     * }</pre>
     */
    public Mono<Void> refreshCatalog(RefreshOptions options) {
        return refresh(java.util.Objects.requireNonNull(options, "options"));
    }
}
