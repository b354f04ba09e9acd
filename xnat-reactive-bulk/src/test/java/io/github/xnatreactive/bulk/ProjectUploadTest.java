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
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        try (XnatClient client = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .eventListener(new XnatEventListener() {
                    @Override
                    public void requestStarted(RequestStarted e) {
                        calls.computeIfAbsent(e.method() + " " + e.path(), k -> new AtomicInteger())
                                .incrementAndGet();
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
            calls.clear();
            TransferReport up = uploadAll(client, tmp, "MANY2");
            assertThat(up.succeeded()).as(up.failed().toString()).isTrue();
            assertThat(up.files()).isEqualTo(down.files());
            // what the job creates it does not look up: the project was empty (its two listings say so), so no
            // subject or session is looked up, nothing below a session (scans, resources, their listings) is read
            // before it is created, and each resource's listing is read once, to verify what arrived
            String subjectPath = "/data/projects/{project}/subjects/{subject}";
            String scanPath = subjectPath + "/experiments/{experiment}/scans/{scan}";
            assertThat(counts(calls))
                    .as("requests of the upload into an empty project")
                    .containsEntry("GET /data/projects/{project}/subjects", 1)
                    .containsEntry("GET /data/projects/{project}/experiments", 1)
                    .containsEntry("GET " + scanPath + "/resources/{resource}/files", 3 * 3 * 2)
                    .doesNotContainKeys(
                            "GET " + subjectPath,
                            "GET " + subjectPath + "/experiments/{experiment}",
                            "GET " + scanPath,
                            "GET " + scanPath + "/resources/{resource}");
            assertThat(digests(expectedScanFiles(client, "MANY2"), "MANY2"))
                    .isEqualTo(digests(expectedScanFiles(client, "MANY"), "MANY"));
            assertThat(calls.get("PUT /data/projects/{project}/subjects/{subject}"))
                    .as("one creation per subject, not per session: %s", calls)
                    .hasValue(3);

            // into a project that holds something else, each subject and session is looked up at its path once,
            // and still nothing below a session found missing; the project's subjects say it is not empty, so its
            // experiments are not listed (read side by side, the first to fail cancelled the other mid-response)
            client.project("MANY3").create().block();
            client.project("MANY3").subject("OTHER").create().block();
            calls.clear();
            TransferReport third = uploadAll(client, tmp, "MANY3");
            assertThat(third.succeeded()).as(third.failed().toString()).isTrue();
            assertThat(third.files()).isEqualTo(down.files());
            assertThat(counts(calls))
                    .as("requests of the upload into a project that is not empty")
                    .containsEntry("GET /data/projects/{project}/subjects", 1)
                    .doesNotContainKey("GET /data/projects/{project}/experiments")
                    .containsEntry("GET " + subjectPath, 3)
                    .containsEntry("GET " + subjectPath + "/experiments/{experiment}", 3 * 3)
                    .containsEntry("GET " + scanPath + "/resources/{resource}/files", 3 * 3 * 2)
                    .doesNotContainKeys("GET " + scanPath, "GET " + scanPath + "/resources/{resource}");
            assertThat(digests(expectedScanFiles(client, "MANY3"), "MANY3"))
                    .isEqualTo(digests(expectedScanFiles(client, "MANY"), "MANY"));

            // a rerun finds everything in place: the sessions exist, so it reads what each resource holds
            calls.clear();
            TransferReport again = uploadAll(client, tmp.resolve("MANY"), "MANY2");
            assertThat(again.files()).isZero();
            assertThat(again.skipped()).isEqualTo(down.files());
            assertThat(calls.get("GET " + subjectPath + "/experiments/{experiment}"))
                    .hasValue(3 * 3);
            assertThat(calls.get("GET " + scanPath + "/resources/{resource}/files"))
                    .hasValue(3 * 3 * 2);
        }
    }

    private static TransferReport uploadAll(XnatClient client, Path dir, String project) {
        return BulkClient.of(client, fast())
                .uploadAll(dir, client.project(project), Selection.all())
                .run()
                .block();
    }

    private static Map<String, Integer> counts(Map<String, AtomicInteger> calls) {
        Map<String, Integer> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
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
