package io.github.xnatreactive.examples;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.XnatTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Clients for testkit servers, and MD5s of local files and of a session's files on a server. */
final class TestSupport {
    private TestSupport() {}

    static XnatClient client(XnatTestServer server) {
        return XnatClient.builder()
                .serverUrl(server.baseUrl())
                .credentials(Credentials.password(server.adminUser(), server.adminPassword()))
                .build();
    }

    static String md5(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "scanId/resource/path" -> MD5 digest, for every scan file of a session as the server lists it. */
    static Map<String, String> serverDigests(XnatClient xnat, String project, String subject, String session) {
        var ref = xnat.project(project).subject(subject).experiment(session);
        Map<String, String> out = new TreeMap<>();
        for (var scan : ref.scans().collectList().block()) {
            for (var resource : ref.scan(scan.id()).resources().collectList().block()) {
                List<FileEntry> files = ref.scan(scan.id())
                        .resource(resource.label())
                        .files()
                        .collectList()
                        .block();
                files.forEach(f -> out.put(scan.id() + "/" + resource.label() + "/" + f.path(), f.digest()));
            }
        }
        return out;
    }

    /**
     * "scanId/resource/path" -> MD5, for every scan file of a session folder in the download layout
     * ({@code scans/{id}-{type}/resources/{label}/files/...}).
     */
    static Map<String, String> localDigests(Path sessionDir) {
        Map<String, String> out = new TreeMap<>();
        Path scans = sessionDir.resolve("scans");
        try (Stream<Path> all = Files.walk(scans)) {
            all.filter(Files::isRegularFile).forEach(f -> {
                Path rel = scans.relativize(f); // {id}-{type}/resources/{label}/files/{path...}
                String scanId = rel.getName(0).toString().split("-", 2)[0];
                String resource = rel.getName(2).toString();
                String path = rel.subpath(4, rel.getNameCount()).toString().replace('\\', '/');
                out.put(scanId + "/" + resource + "/" + path, md5(f));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
