package io.github.xnatreactive.bulk.internal;

import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.ResourceRef;
import io.github.xnatreactive.core.UploadOptions;
import io.github.xnatreactive.core.XnatIntegrityException;
import io.github.xnatreactive.core.XnatProtocolException;
import io.github.xnatreactive.core.internal.BodyReaders;
import io.github.xnatreactive.core.internal.BridgeInputStream;
import io.github.xnatreactive.core.internal.RefAccess;
import io.github.xnatreactive.core.internal.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A resource's files moved as one zip archive: downloads extract XNAT's zip as it streams, each entry hashed and
 * compared with the listing before it is moved into place; uploads send one zip built on the fly with
 * {@code extract=true}; mirrors stream the source's zip into the destination's. Every file an archive does not
 * deliver verified is left to the per-file path.
 */
final class Archives {
    /** The name under which an upload's zip is sent (the server extracts it and does not keep it). */
    static final String UPLOAD_NAME = "xnat-reactive-bulk.zip";
    /** How many chunks of a downloaded zip are read ahead of the extraction. */
    private static final int WINDOW = 8;

    private Archives() {}

    // ------------------------------------------------------------------ download

    /** One expected file of an archive: where it goes, what it must be, and the work it settles. */
    record Expected(Path target, long size, String md5, Work work) {
        /**
         * Moves {@code temp} (what the archive gave for this file, {@code size} bytes hashing to {@code md5}) to the
         * target atomically and tells {@code verified} of the work, when size and digest are the listing's (an
         * unlisted digest never matches); whether it moved.
         */
        boolean moveIfVerified(Path temp, long size, String md5, Consumer<Work> verified) throws IOException {
            if (size != this.size || this.md5 == null || this.md5.isEmpty() || !md5.equalsIgnoreCase(this.md5)) {
                return false;
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            verified.accept(work);
            return true;
        }
    }

    static Group.Archive download(ResourceRef resource, Path folder) {
        return (pending, verified) -> Mono.defer(() -> {
            Map<String, Expected> expected = new HashMap<>();
            for (Work w : pending) {
                if (!(w instanceof Planners.DownloadWork d)) {
                    continue; // a refused row: not in the archive, it fails file by file with its reason
                }
                expected.put(
                        d.entry().path(),
                        new Expected(d.target(), d.entry().size(), d.entry().digest(), w));
            }
            // the zip's buffers go to the extraction as they arrive, without a copy (StreamingUnzip)
            Request req =
                    RefAccess.get(resource, "/files").param("format", "zip").build();
            return RefAccess.transport(resource)
                    .exchange(req, BodyReaders.buffers(q -> {
                        StreamingUnzip.extract(q, resource.id(), expected, verified);
                        return true;
                    }))
                    .then();
        });
    }

    /**
     * Reads a zip of XNAT's layout and moves each entry that is one of {@code expected} (by its path after
     * {@code resources/{label}/files/}) into place once its size and MD5 match, through a temporary file beside the
     * target and an atomic move. Other entries are read past. An entry whose name could climb out of its folder
     * (zip-slip: {@code ..}, an absolute path, a drive) fails the archive before anything of it is written.
     */
    static void extract(InputStream in, String label, Map<String, Expected> expected, Consumer<Work> verified)
            throws IOException {
        String marker = "resources/" + label + "/files/";
        byte[] buf = new byte[1 << 16];
        // folders made once per archive, and one random token per archive for the temporary names (a random UUID
        // per entry costs a SecureRandom draw; a failed mkdir and a stat per entry showed in the profile)
        java.util.Set<Path> made = new java.util.HashSet<>();
        String token = "." + UUID.randomUUID() + ".";
        int count = 0;
        try (ZipInputStream zin = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                String name = e.getName();
                refuseUnsafe(name);
                if (e.isDirectory()) {
                    continue;
                }
                String rel = relative(name, marker);
                Expected x = rel == null ? null : expected.get(rel);
                if (x == null) {
                    continue; // not listed (or not wanted): read past it
                }
                Path parent = x.target().getParent();
                if (made.add(parent)) {
                    Files.createDirectories(parent);
                }
                Path temp = x.target().resolveSibling("." + x.target().getFileName() + token + (count++) + ".part");
                boolean moved = false;
                try {
                    MessageDigest md = LocalFiles.newMd5();
                    long size = 0;
                    try (OutputStream out = Files.newOutputStream(temp)) {
                        int n;
                        while ((n = zin.read(buf)) > 0) {
                            md.update(buf, 0, n);
                            out.write(buf, 0, n);
                            size += n;
                        }
                    }
                    moved = x.moveIfVerified(temp, size, HexFormat.of().formatHex(md.digest()), verified);
                    if (moved) {
                        expected.remove(rel);
                    }
                } finally {
                    if (!moved) {
                        Files.deleteIfExists(temp);
                    }
                }
            }
        }
    }

    /** The path of an entry inside its resource ({@code .../resources/{label}/files/} removed), or null. */
    static String relative(String name, String marker) {
        if (name.startsWith(marker)) {
            return name.substring(marker.length());
        }
        int at = name.indexOf("/" + marker);
        return at < 0 ? null : name.substring(at + 1 + marker.length());
    }

    /** A zip-slip entry name is an error. */
    static void refuseUnsafe(String name) {
        String n = name.replace('\\', '/');
        boolean unsafe = n.startsWith("/") || n.contains(":") || n.indexOf('\0') >= 0;
        for (String seg : n.split("/")) {
            unsafe |= seg.equals("..");
        }
        if (unsafe) {
            throw new XnatProtocolException(
                    "Refusing archive entry '" + name + "': it could be written outside" + " its folder (zip-slip)");
        }
    }

    // ------------------------------------------------------------------ upload

    static Group.Archive upload(ResourceRef resource) {
        return new Group.Archive() {
            @Override
            public Mono<Void> run(List<Work> pending, Consumer<Work> verified) {
                return uploadZip(resource, pending, verified);
            }

            @Override
            public boolean partial() {
                return true; // a zip of the files given: a large resource goes as several at once
            }
        };
    }

    private static Mono<Void> uploadZip(ResourceRef resource, List<Work> pending, Consumer<Work> verified) {
        return Mono.defer(() -> {
            List<ZipWriter.Entry> entries = new ArrayList<>();
            for (Work w : pending) {
                Planners.UploadWork u = (Planners.UploadWork) w;
                if (u.size < 0) {
                    return Mono.error(new XnatProtocolException("Unreadable local file " + u.local));
                }
                entries.add(new ZipWriter.Entry(u.rel, u.size, u.crc, u.local, u.held)); // its check's bytes
            }
            if (!ZipWriter.fits(entries)) {
                return Mono.error(new XnatProtocolException("Too large for one archive: " + resource.path()));
            }
            // the zip in pooled direct buffers, the files' bytes read straight into them
            FileRef target = resource.file(UPLOAD_NAME);
            Request req = RefAccess.upload(
                            target, UploadOptions.defaults().overwrite(true).extract(true))
                    .idempotent(false)
                    .body("application/octet-stream", ZipWriter.length(entries), () -> ZipWriter.fromFiles(entries))
                    .build();
            return settle(resource, RefAccess.transport(resource).text(req).then(), pending, verified);
        });
    }

    /** Sends a zip for the server to extract, then settles each file the target's listing shows verified. */
    private static Mono<Void> send(
            ResourceRef resource, Flux<ByteBuffer> zip, long length, List<Work> pending, Consumer<Work> verified) {
        return settle(
                resource,
                resource.file(UPLOAD_NAME)
                        .upload(
                                zip,
                                length,
                                UploadOptions.defaults().overwrite(true).extract(true))
                        .then(),
                pending,
                verified);
    }

    /** After {@code upload}, settles each file the target's listing shows verified. */
    private static Mono<Void> settle(
            ResourceRef resource, Mono<Void> upload, List<Work> pending, Consumer<Work> verified) {
        return upload.then(Planners.digests(resource))
                .doOnNext(digests -> {
                    for (Work w : pending) {
                        if (Planners.mismatch(w, digests) == null) {
                            verified.accept(w);
                        }
                    }
                })
                .then();
    }

    // ------------------------------------------------------------------ mirror

    static Group.Archive mirror(ResourceRef source, ResourceRef dest) {
        return (pending, verified) -> Mono.defer(() -> {
            Map<String, Planners.MirrorWork> byPath = new HashMap<>();
            List<ZipWriter.Entry> sizes = new ArrayList<>();
            for (Work w : pending) {
                if (!(w instanceof Planners.MirrorWork m)) {
                    continue; // a refused row: not in the archive, it fails file by file with its reason
                }
                if (m.entry().size() < 0 || m.entry().digest().isEmpty()) {
                    return Mono.error(new XnatProtocolException("No size or digest listed for " + m.source()));
                }
                byPath.put(m.entry().path(), m);
                sizes.add(new ZipWriter.Entry(m.entry().path(), m.entry().size(), 0, null));
            }
            if (!ZipWriter.fits(sizes)) {
                return Mono.error(new XnatProtocolException("Too large for one archive: " + source.path()));
            }
            String marker = "resources/" + source.id() + "/files/";
            Flux<ByteBuffer> zip = Flux.defer(() -> {
                BridgeInputStream in = BridgeInputStream.of(source.zipContent(), WINDOW);
                ZipInputStream zin = new ZipInputStream(in);
                return ZipWriter.fromEntries(() -> nextMirrored(zin, marker, byPath), sizes.size())
                        .doFinally(s -> in.cancel());
            });
            return send(dest, zip, ZipWriter.length(sizes), pending, verified);
        });
    }

    /**
     * The next source entry to send on, read whole (the files are small) and checked against the source listing;
     * null at the end of the source. An entry that differs from the listing fails the stream: the destination's zip
     * has a length fixed in advance.
     */
    private static ZipWriter.Loaded nextMirrored(
            ZipInputStream zin, String marker, Map<String, Planners.MirrorWork> byPath) throws IOException {
        ZipEntry e;
        while ((e = zin.getNextEntry()) != null) {
            String name = e.getName();
            refuseUnsafe(name);
            String rel = relative(name, marker);
            Planners.MirrorWork m = e.isDirectory() || rel == null ? null : byPath.remove(rel);
            if (m == null) {
                continue;
            }
            byte[] data = zin.readAllBytes();
            String md5 = HexFormat.of().formatHex(LocalFiles.newMd5().digest(data));
            if (data.length != m.entry().size()
                    || !md5.equalsIgnoreCase(m.entry().digest())) {
                throw new XnatIntegrityException(
                        "The source archive's " + m.entry().path() + " differs from its listing",
                        m.entry().digest(),
                        md5);
            }
            // ZipInputStream has checked the entry's bytes against its CRC-32 by now: send that one on
            return new ZipWriter.Loaded(m.entry().path(), data, e.getCrc());
        }
        if (!byPath.isEmpty()) {
            throw new XnatIntegrityException(
                    "The source archive lacks " + byPath.size() + " listed file(s), such as "
                            + byPath.keySet().iterator().next(),
                    "",
                    "missing");
        }
        return null;
    }
}
