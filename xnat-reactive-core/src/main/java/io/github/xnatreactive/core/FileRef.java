package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.BodyReaders;
import io.github.xnatreactive.core.internal.DownloadSink;
import io.github.xnatreactive.core.internal.Request;
import io.github.xnatreactive.core.internal.Uris;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A file in a resource, by its path inside the resource. Made with {@link ResourceRef#file(String)}; no I/O until
 * a method's result is subscribed.
 *
 * <pre>{@code
 * FileRef f = session.scan("1").resource("DICOM").file("extra/1.dcm");
 * UploadResult up = f.upload(source, UploadOptions.defaults()).block();
 * Path local = f.download(dir.resolve("1.dcm")).block(); // verified by size and MD5
 * }</pre>
 */
public final class FileRef extends ArchiveRef {
    private final ResourceRef resource;
    private final String relativePath;

    FileRef(ResourceRef resource, String relativePath) {
        super(
                resource.client,
                resource.path + "/files/" + Uris.filePath(relativePath),
                resource.template + "/files/{path}",
                relativePath);
        this.resource = resource;
        this.relativePath = relativePath;
    }

    /**
     * The resource this file belongs to.
     *
     * @return the resource ref this ref was made from
     */
    public ResourceRef resource() {
        return resource;
    }

    /**
     * Where the file is inside its resource.
     *
     * @return the path inside the resource, as given ({@code sub/dir/1.dcm})
     */
    public String relativePath() {
        return relativePath;
    }

    /** Probes the file with HEAD, so that its bytes are not sent. */
    @Override
    Request existsRequest() {
        return Request.method("HEAD", path).template(template).build();
    }

    /**
     * Reads the file's entry in the resource's listing.
     *
     * @return the entry (size, digest, metadata), or empty when the resource has no such file
     */
    public Mono<FileEntry> entry() {
        return resource.files().filter(f -> f.path().equals(relativePath)).next();
    }

    /**
     * Downloads to {@code target}, checked against the size and MD5 digest in the resource's listing. The bytes
     * stream into a temporary file beside the target that is moved into place only when complete and verified.
     *
     * @param target the local file to write (missing folders are created); an existing file is replaced
     * @return the target path; {@link XnatIntegrityException} when size or digest do not match (nothing is left at
     *     the target), {@link XnatNotFoundException} when the file is not listed
     */
    public Mono<Path> download(Path target) {
        return entry().switchIfEmpty(Mono.error(() -> new XnatNotFoundException(
                        "GET", resource.path + "/files", "No file " + relativePath + " in this resource")))
                .flatMap(e -> download(target, e));
    }

    /**
     * Downloads to {@code target}, checked against an entry from a listing you already have (saves one listing
     * request per file).
     *
     * @param target the local file to write; an existing file is replaced
     * @param expected the file's listing entry, whose size and digest the bytes must match
     * @return the target path; {@link XnatIntegrityException} on a mismatch
     */
    public Mono<Path> download(Path target, FileEntry expected) {
        return download(target, expected.size(), expected.digest());
    }

    /**
     * Downloads to {@code target}, checked against the given size (negative: only against Content-Length) and
     * MD5 (null or empty: not checked).
     *
     * @param target the local file to write; an existing file is replaced
     * @param expectedSize the expected size in bytes, or negative to check only against Content-Length
     * @param expectedMd5 the expected MD5 digest in hex, or null or empty not to check it
     * @return the target path; {@link XnatIntegrityException} on a mismatch
     */
    public Mono<Path> download(Path target, long expectedSize, String expectedMd5) {
        return download(target, expectedSize, expectedMd5, n -> {});
    }

    /**
     * As {@link #download(Path, long, String)}, telling {@code progress} the size of each chunk as it arrives.
     * The callback runs on a Netty or a worker thread and must not block. A retried attempt starts counting again from 0.
     *
     * @param target the local file to write; an existing file is replaced
     * @param expectedSize the expected size in bytes, or negative to check only against Content-Length
     * @param expectedMd5 the expected MD5 digest in hex, or null or empty not to check it
     * @param progress told the number of bytes of each chunk written
     * @return the target path; {@link XnatIntegrityException} on a mismatch
     */
    public Mono<Path> download(
            Path target, long expectedSize, String expectedMd5, java.util.function.LongConsumer progress) {
        return Mono.defer(() -> {
            DownloadSink sink = new DownloadSink(target, progress);
            Request req = Request.get(path).template(template).build();
            return client.transport()
                    .exchange(
                            req,
                            BodyReaders.file(
                                    sink,
                                    path,
                                    expectedSize,
                                    client.transport().config().unlistedDownloadLimit()))
                    .next()
                    // on the worker thread that finished the write
                    .map(w -> sink.verifyAndMove(w, expectedSize, expectedMd5, relativePath))
                    .doOnError(e -> sink.discard())
                    .doOnCancel(sink::discard);
        });
    }

    /**
     * The file's bytes as they arrive, each a fresh heap buffer the consumer owns. When a transfer is cut and
     * retried, the bytes already delivered are skipped in the new response, so the consumer sees each byte once;
     * a retried response of a different length is an error.
     *
     * @return the bytes in order; {@link XnatProtocolException} when the body is cut short or is an HTML page.
     *     Nothing checks the digest: use {@link #download(Path)} for a verified copy
     */
    public Flux<ByteBuffer> content() {
        return Flux.defer(() -> client.transport()
                .exchange(Request.get(path).template(template).build(), BodyReaders.resumableBuffers(path)));
    }

    /**
     * Uploads a local file without copying it through the heap (zero-copy on plain HTTP). The resource is created
     * when missing.
     *
     * @param source the local file
     * @param options overwrite, catalog metadata, extraction
     * @return what the server stored; without {@code overwrite} an existing file is kept and listed in
     *     {@link UploadResult#duplicates()}; {@link java.io.UncheckedIOException} when {@code source} cannot be read
     */
    public Mono<UploadResult> upload(Path source, UploadOptions options) {
        return Mono.fromCallable(() -> Files.size(source))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(IOException.class, e -> new UncheckedIOException("Cannot read " + source, e))
                .flatMap(size -> send(
                        resource.uploadParams(Request.put(path).template(template), options)
                                .file("application/octet-stream", source, size),
                        options));
    }

    /**
     * Uploads bytes from a publisher of known total length. The publisher is subscribed once per attempt; a
     * publisher that cannot be subscribed twice is not retried.
     *
     * @param content the bytes; it must emit exactly {@code length} bytes
     * @param length the total length in bytes
     * @param options overwrite, catalog metadata, extraction
     * @return what the server stored
     * @throws IllegalArgumentException when {@code length} is negative
     */
    public Mono<UploadResult> upload(Publisher<ByteBuffer> content, long length, UploadOptions options) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0");
        }
        return send(
                resource.uploadParams(Request.put(path).template(template), options)
                        .idempotent(false)
                        .body("application/octet-stream", length, () -> Flux.from(content)
                                .map(b -> (ByteBuf) Unpooled.wrappedBuffer(b))),
                options);
    }

    /** The PUT of an upload with {@code options}, without its body. */
    Request.Builder uploadRequest(UploadOptions options) {
        return resource.uploadParams(Request.put(path).template(template), options);
    }

    private Mono<UploadResult> send(Request.Builder b, UploadOptions options) {
        return client.transport().text(b.build()).map(body -> parseUploadReply(body, options));
    }

    UploadResult parseUploadReply(String body, UploadOptions options) {
        String text = body.strip();
        if (text.isEmpty()) {
            return new UploadResult(relativePath, List.of());
        }
        if (text.startsWith("{")) {
            var node = XnatClient.parseJson(text, path);
            var dups = node.path("duplicates");
            if (dups.isArray()) {
                List<String> list = new java.util.ArrayList<>();
                dups.forEach(d -> list.add(d.asString()));
                if (options.overwrite() && !list.isEmpty()) {
                    throw new XnatProtocolException("The server did not overwrite " + list + " although asked to");
                }
                return new UploadResult(relativePath, list);
            }
        }
        return new UploadResult(relativePath, List.of());
    }

    /**
     * When the file last changed on the server, from the {@code Last-Modified} header XNAT sends with a file (the
     * file's modification time on the server's disk). One {@code HEAD} request: the bytes are not sent.
     *
     * @return the time, to the second as HTTP dates are; empty when the server sends no {@code Last-Modified};
     *     {@link XnatNotFoundException} when there is no such file; {@link XnatProtocolException} when the header
     *     is not an HTTP date
     */
    public Mono<Instant> lastModified() {
        Request req = Request.method("HEAD", path).template(template).build();
        return client.transport()
                .exchange(
                        req,
                        (res, body) ->
                                body.then(Mono.justOrEmpty(res.responseHeaders().get("Last-Modified"))
                                        .map(this::httpDate)))
                .next();
    }

    private Instant httpDate(String value) {
        try {
            return ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new XnatProtocolException("Last-Modified of " + path + " is not an HTTP date: " + value, e);
        }
    }

    /**
     * Deletes the file from the resource and the server's disk.
     *
     * @return completes when the server has deleted it
     */
    public Mono<Void> delete() {
        return client.transport()
                .discard(Request.delete(path).template(template).build());
    }

    /**
     * Deletes the file from the resource; with {@code removeFiles} false XNAT removes only its catalog entry and
     * keeps the bytes on its disk ({@code DELETE ...?removeFiles=false}), as pyxnat users ask for when the
     * archive folder is managed by other means.
     *
     * @param removeFiles true to remove the bytes from the server's disk too (as {@link #delete()}), false to keep
     *     them
     * @return completes when the server has deleted the entry; {@link XnatNotFoundException} when no file matches
     */
    public Mono<Void> delete(boolean removeFiles) {
        Request.Builder b = Request.delete(path).template(template);
        if (!removeFiles) {
            b.param("removeFiles", "false");
        }
        return client.transport().discard(b.build());
    }
}
