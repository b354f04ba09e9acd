package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.expectedScanFiles;
import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatEventListener;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/**
 * A folder of many session folders (a project's download) uploads as one job: every session lands under its own
 * subject and label with every file verified, each subject is created once however many of its sessions move at
 * the same time, and a folder without session folders is an error rather than an upload of nothing.
 */
class ProjectUploadTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("MANY:3x3x2x2x1K")));

    /** Re-keys a download layout from one project's name to another's. */
    static Map<String, String> digests(Map<String, FileEntry> files, String project) {
        Map<String, String> out = new TreeMap<>();
        files.forEach((k, v) -> out.put(k.substring(k.indexOf('/') + 1), v.size() + " " + v.digest()));
        assertThat(files.keySet()).allMatch(k -> k.startsWith(project + "/"));
        return out;
    }

    @Test
    void aProjectsDownloadUploadsAsOneJob(@TempDir Path tmp) {
        Map<String, AtomicInteger> puts = new ConcurrentHashMap<>();
        try (XnatClient client = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .eventListener(new XnatEventListener() {
                    @Override
                    public void requestStarted(RequestStarted e) {
                        if (!e.method().equals("GET")) {
                            puts.computeIfAbsent(e.method() + " " + e.path(), k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                    }
                })
                .build()) {
            TransferReport down = BulkClient.of(client, fast())
                    .downloadProject(client.project("MANY"), tmp, Selection.all())
                    .run()
                    .block();
            assertThat(down.succeeded()).isTrue();
            assertThat(down.files()).isEqualTo(3 * 3 * 2 * 2);

            client.project("MANY2").create().block();
            puts.clear();
            TransferReport up = BulkClient.of(client, fast())
                    .uploadAll(tmp, client.project("MANY2"), Selection.all())
                    .run()
                    .block();
            assertThat(up.succeeded()).as(up.failed().toString()).isTrue();
            assertThat(up.files()).isEqualTo(down.files());
            assertThat(digests(expectedScanFiles(client, "MANY2"), "MANY2"))
                    .isEqualTo(digests(expectedScanFiles(client, "MANY"), "MANY"));
            assertThat(puts.get("PUT /data/projects/{project}/subjects/{subject}"))
                    .as("one creation per subject, not per session: %s", puts)
                    .hasValue(3);

            // a rerun finds everything in place
            TransferReport again = BulkClient.of(client, fast())
                    .uploadAll(tmp.resolve("MANY"), client.project("MANY2"), Selection.all())
                    .run()
                    .block();
            assertThat(again.files()).isZero();
            assertThat(again.skipped()).isEqualTo(down.files());
        }
    }

    @Test
    void aFolderWithoutSessionFoldersIsAnError(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("stray.dcm"), "not a session folder");
        try (XnatClient client = BulkTesting.client(xnat)) {
            StepVerifier.create(BulkClient.of(client, fast())
                            .uploadAll(tmp, client.project("MANY"), Selection.all())
                            .run())
                    .expectErrorSatisfies(e -> assertThat(e)
                            .isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("No session folders"))
                    .verify();
        }
    }
}
