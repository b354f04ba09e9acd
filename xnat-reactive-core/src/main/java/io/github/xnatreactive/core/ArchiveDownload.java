package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.BodyReaders;
import io.github.xnatreactive.core.internal.Request;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import reactor.core.publisher.Mono;

/** Downloads a {@code format=zip} archive and extracts it while it streams, refusing entries outside the target. */
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
