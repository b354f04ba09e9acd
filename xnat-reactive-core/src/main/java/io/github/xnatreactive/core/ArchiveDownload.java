package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.BodyReaders;
import io.github.xnatreactive.core.internal.DownloadSink;
import io.github.xnatreactive.core.internal.Request;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Downloads a {@code format=zip} archive and extracts it while it streams, refusing entries outside the target; or
 * keeps it whole as a verified zip file.
 */
final class ArchiveDownload {
    private ArchiveDownload() {}

    static Mono<List<Path>> extract(XnatClient client, String path, String template, Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        Request req =
                Request.get(path).template(template).param("format", "zip").build();
        return client.transport()
                .exchange(req, BodyReaders.inputStream(in -> unzip(in, root)))
                .next();
    }

    /**
     * Downloads a {@code format=zip} archive to {@code target} as it is, without extracting it (pyxnat's
     * {@code get(extract=False)}). The bytes go to a temporary file beside the target, which replaces the target
     * only when the body matched its {@code Content-Length}, the archive's directory is complete, every entry's
     * bytes match its recorded size and CRC, and, when {@code expected} names files, each of them is in the archive
     * with its listed size (and nothing more).
     */
    static Mono<Path> keepZip(
            XnatClient client, Request req, String what, Path target, Mono<List<FileEntry>> expected) {
        Path abs = target.toAbsolutePath();
        return expected.flatMap(files -> Mono.defer(() -> {
            Path part = abs.resolveSibling(abs.getFileName() + ".zip-part");
            DownloadSink sink = new DownloadSink(part);
            return client.transport()
                    .exchange(
                            req,
                            BodyReaders.file(
                                    sink, what, -1, client.transport().config().unlistedDownloadLimit()))
                    .next()
                    .map(w -> sink.verifyAndMove(w, -1, null, what))
                    .publishOn(Schedulers.boundedElastic())
                    .map(p -> {
                        try {
                            checkZip(p, files, what);
                            Files.move(p, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                            return abs;
                        } catch (IOException e) {
                            throw new UncheckedIOException("Cannot keep the archive " + what + " at " + abs, e);
                        } finally {
                            deleteQuietly(part);
                        }
                    })
                    .doOnError(e -> sink.discard())
                    .doOnCancel(sink::discard);
        }));
    }

    private static java.security.MessageDigest md5() {
        return io.github.xnatreactive.core.internal.Md5.newDigest();
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove the temporary archive " + p, e);
        }
    }

    /** Reads the whole archive back: directory, each entry's size and CRC, and the listed files. */
    static void checkZip(Path zip, List<FileEntry> expected, String what) throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, String> digests = new LinkedHashMap<>();
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            byte[] buf = new byte[64 * 1024];
            for (var it = zf.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                CRC32 crc = new CRC32();
                java.security.MessageDigest md5 = md5();
                long n = 0;
                try (var in = zf.getInputStream(e)) {
                    for (int r; (r = in.read(buf)) > 0; ) {
                        crc.update(buf, 0, r);
                        md5.update(buf, 0, r);
                        n += r;
                    }
                }
                if ((e.getSize() >= 0 && n != e.getSize()) || (e.getCrc() >= 0 && crc.getValue() != e.getCrc())) {
                    throw new XnatIntegrityException(
                            "Entry " + e.getName() + " of " + what + " is damaged",
                            e.getSize() + " bytes, CRC " + Long.toHexString(e.getCrc()),
                            n + " bytes, CRC " + Long.toHexString(crc.getValue()));
                }
                sizes.put(e.getName(), n);
                digests.put(e.getName(), java.util.HexFormat.of().formatHex(md5.digest()));
            }
        } catch (ZipException e) {
            throw new XnatIntegrityException(
                    "The archive " + what + " is incomplete or not a zip: " + e.getMessage(),
                    "a complete zip archive",
                    "an unreadable one");
        }
        if (expected.isEmpty()) {
            return;
        }
        if (sizes.size() != expected.size()) {
            throw new XnatIntegrityException(
                    "The archive " + what + " does not hold the listed files",
                    expected.size() + " files",
                    sizes.size() + " entries");
        }
        for (FileEntry f : expected) {
            String suffix = "/files/" + f.path();
            boolean found = sizes.entrySet().stream()
                    .anyMatch(e -> (e.getKey().endsWith(suffix) || e.getKey().equals(f.path()))
                            && e.getValue() == f.size()
                            && (f.digest().isEmpty() || f.digest().equalsIgnoreCase(digests.get(e.getKey()))));
            if (!found) {
                throw new XnatIntegrityException(
                        "The archive " + what + " lacks " + f.path() + " with its listed size and MD5",
                        f.size() + " bytes, MD5 " + f.digest(),
                        "no entry with both");
            }
        }
    }

    static List<Path> unzip(java.io.InputStream in, Path root) throws IOException {
        Files.createDirectories(root);
        List<Path> written = new ArrayList<>();
        try (ZipInputStream zin = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                Path target = safeTarget(root, e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Path temp = target.resolveSibling("." + target.getFileName() + ".part");
                try (OutputStream out = Files.newOutputStream(temp)) {
                    zin.transferTo(out);
                } catch (IOException | RuntimeException ex) {
                    Files.deleteIfExists(temp);
                    throw ex;
                }
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                written.add(target);
            }
        }
        if (written.isEmpty()) {
            throw new XnatProtocolException("The archive from the server had no files");
        }
        return written;
    }

    /** The path an entry extracts to; an entry that would climb out of {@code root} is an error (zip-slip). */
    static Path safeTarget(Path root, String name) {
        String n = name.replace('\\', '/');
        Path target = root.resolve(n).normalize();
        if (n.startsWith("/") || n.contains(":") || !target.startsWith(root) || target.equals(root)) {
            throw new XnatProtocolException(
                    "Refusing archive entry '" + name + "': it would be written outside " + root);
        }
        return target;
    }
}
