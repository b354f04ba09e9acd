package io.github.xnatreactive.bulk;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.Experiment;
import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.Resource;
import io.github.xnatreactive.core.RetryPolicy;
import io.github.xnatreactive.core.Scan;
import io.github.xnatreactive.core.Subject;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Helpers shared by the bulk tests: clients with short backoffs, expected layouts from listings, local scans. */
final class BulkTesting {
    private BulkTesting() {}

    /** A client whose own retries wait little (a server's Retry-After is still honoured). */
    static XnatClient client(XnatTestServerExtension x) {
        return client(x, 16);
    }

    static XnatClient client(XnatTestServerExtension x, int maxConnections) {
        return XnatClient.builder()
                .serverUrl(x.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .maxConnections(maxConnections)
                .retryPolicy(RetryPolicy.defaults()
                        .initialBackoff(Duration.ofMillis(10))
                        .maxBackoff(Duration.ofMillis(50)))
                .build();
    }

    /** Options with short engine backoffs, so that retried files do not slow the tests down. */
    static TransferOptions fast() {
        return TransferOptions.defaults().backoff(Duration.ofMillis(5), Duration.ofMillis(20));
    }

    /**
     * What a download of every scan of {@code project} must produce, read from the server's listings (not from
     * the planner): local path relative to the destination -> listing entry.
     */
    static Map<String, FileEntry> expectedScanFiles(XnatClient c, String project) {
        Map<String, FileEntry> out = new TreeMap<>();
        for (Subject subject : c.project(project).subjects().collectList().block()) {
            for (Experiment e : c.project(project)
                    .subject(subject.label())
                    .experiments()
                    .collectList()
                    .block()) {
                var ref = c.experiment(e.id());
                for (Scan s : ref.scans().collectList().block()) {
                    for (Resource r : ref.scan(s.id()).resources().collectList().block()) {
                        for (FileEntry f : ref.scan(s.id())
                                .resource(r.label())
                                .files()
                                .collectList()
                                .block()) {
                            out.put(
                                    project + "/" + subject.label() + "/" + e.label() + "/scans/" + s.id() + "-"
                                            + s.type() + "/resources/" + r.label() + "/files/" + f.path(),
                                    f);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Every regular file under {@code dir}, as paths relative to it with '/' separators. */
    static TreeSet<String> localFiles(Path dir) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        if (!Files.exists(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile)
                    .forEach(p -> out.add(dir.relativize(p).toString().replace('\\', '/')));
        }
        return out;
    }

    static List<String> partFiles(Path dir) throws IOException {
        return localFiles(dir).stream().filter(p -> p.endsWith(".part")).toList();
    }

    static String md5(Path file) throws IOException {
        return md5(Files.readAllBytes(file));
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file on the test server's disk that holds the bytes listed with {@code digest}. */
    static Path serverFile(XnatTestServerExtension x, String digest) throws IOException {
        try (Stream<Path> s = Files.walk(x.server().dataDir().resolve("archive"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (md5(p).equalsIgnoreCase(digest)) {
                    return p;
                }
            }
        }
        throw new AssertionError(
                "no file with MD5 " + digest + " under " + x.server().dataDir());
    }
}
