package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.client;
import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static io.github.xnatreactive.bulk.BulkTesting.localFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatProtocolException;
import io.github.xnatreactive.core.XnatRequest;
import io.github.xnatreactive.testkit.RouteResponse;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a hostile or broken listing cannot do: a row whose path leaves the resource ({@code ../}) is refused as a
 * failed item that names its resource while every other file still moves; a file listed twice moves (and counts)
 * once; and a run removes the temporary files an earlier, killed run left of its own files, and nothing else.
 */
class HostileListingTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SESSION_PATH = "/data/projects/HOST/subjects/HOST_S001/experiments/HOST_S001_MR1";

    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("HOST:1x1x1x3x1K")));

    /** The all-files listing the server answers instead of its own (null: its own). */
    static final AtomicReference<String> allFiles = new AtomicReference<>();

    @BeforeAll
    static void route() {
        xnat.server().route("GET", SESSION_PATH + "/files", req -> {
            String body = allFiles.get();
            return body != null && "true".equals(req.queryParameter("all"))
                    ? RouteResponse.text(200, "application/json", body)
                    : RouteResponse.proceed();
        });
    }

    @BeforeEach
    void realListing() {
        allFiles.set(null);
    }

    static ExperimentRef session(XnatClient c) {
        return c.project("HOST").subject("HOST_S001").experiment("HOST_S001_MR1");
    }

    /** The real all-files listing with its rows changed by {@code change}. */
    static String listingWith(XnatClient c, Consumer<ArrayNode> change) {
        String real = c.request(XnatRequest.get(SESSION_PATH + "/files").query(Map.of("all", "true", "format", "json")))
                .text()
                .block();
        ObjectNode root = (ObjectNode) JSON.readTree(real);
        change.accept((ArrayNode) root.path("ResultSet").path("Result"));
        return JSON.writeValueAsString(root);
    }

    static TransferReport download(XnatClient c, Path dest, ArchiveMode mode) {
        return BulkClient.of(c, fast().archive(mode))
                .download(session(c), dest, Selection.all())
                .run()
                .block();
    }

    @ParameterizedTest
    @EnumSource(
            value = ArchiveMode.class,
            names = {"NEVER", "ALWAYS"})
    void aRowThatLeavesTheResourceIsRefusedAndTheRestMoves(ArchiveMode mode, @TempDir Path tmp) throws Exception {
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        try (XnatClient c = client(xnat)) {
            allFiles.set(listingWith(c, rows -> {
                ObjectNode evil = ((ObjectNode) rows.get(0)).deepCopy();
                String uri = evil.path("URI").asString();
                evil.put("URI", uri.substring(0, uri.indexOf("/files/") + 7) + "../../../../../evil.txt");
                evil.put("Name", "evil.txt");
                rows.add(evil);
            }));
            TransferReport r = download(c, dest, mode);
            assertThat(r.files()).isEqualTo(3);
            assertThat(r.failed()).singleElement().satisfies(f -> {
                assertThat(f.error()).isInstanceOf(XnatProtocolException.class);
                assertThat(f.cause()).contains("../../../../../evil.txt").contains("resources/DICOM");
            });
            assertThat(localFiles(tmp)).noneMatch(p -> p.contains("evil"));
            assertThat(localFiles(dest)).filteredOn(p -> p.endsWith(".dcm")).hasSize(3);
        }
    }

    @Test
    void anHtmlPageInsteadOfAFileFailsWithoutRetries(@TempDir Path dest) throws Exception {
        AtomicInteger asked = new AtomicInteger();
        xnat.server()
                .route(
                        "GET",
                        "/data/experiments/{id}/scans/{scan}/resources/{resource}/files/HOST_S001_MR1.1.2.dcm",
                        req -> {
                            asked.incrementAndGet();
                            return RouteResponse.text(
                                    200, "text/html", "<!DOCTYPE html><html><body>Please log in</body></html>");
                        });
        try (XnatClient c = client(xnat)) {
            TransferReport r = download(c, dest, ArchiveMode.NEVER);
            assertThat(r.files()).isEqualTo(2);
            assertThat(r.failed()).singleElement().satisfies(f -> assertThat(f.cause())
                    .contains("HTML"));
            assertThat(r.retried())
                    .as("an HTML page is not a transient failure")
                    .isZero();
            assertThat(asked).hasValue(1);
        } finally {
            xnat.server()
                    .route(
                            "GET",
                            "/data/experiments/{id}/scans/{scan}/resources/{resource}/files/HOST_S001_MR1.1.2.dcm",
                            req -> RouteResponse.proceed());
        }
    }

    @Test
    void aFileListedTwiceMovesOnce(@TempDir Path dest) {
        try (XnatClient c = client(xnat)) {
            allFiles.set(listingWith(c, rows -> rows.add(rows.get(1).deepCopy())));
            TransferReport r = download(c, dest, ArchiveMode.NEVER);
            assertThat(r.succeeded()).as(r.failed().toString()).isTrue();
            assertThat(r.files()).isEqualTo(3);
        }
    }

    @Test
    void aRunRemovesTheTemporariesAKilledRunLeftOfItsOwnFiles(@TempDir Path dest) throws Exception {
        Path folder =
                Files.createDirectories(dest.resolve("HOST/HOST_S001/HOST_S001_MR1/scans/1-T1w/resources/DICOM/files"));
        Path stale = Files.writeString(folder.resolve(".HOST_S001_MR1.1.2.dcm.3f9a01c2d4e5.part"), "half a file");
        Path staleOfAnArchive = Files.writeString(
                folder.resolve(".HOST_S001_MR1.1.3.dcm.0f8c2b9e-6a47-4d1e-9b3a-2c5d7e8f9a01.2.part"), "an entry");
        Path foreign = Files.writeString(folder.resolve(".notes.txt.swp.part"), "someone else's");
        try (XnatClient c = client(xnat)) {
            TransferReport r = download(c, dest, ArchiveMode.NEVER);
            assertThat(r.succeeded()).isTrue();
            assertThat(stale).doesNotExist();
            assertThat(staleOfAnArchive).doesNotExist();
            assertThat(foreign).exists();
            assertThat(localFiles(folder))
                    .containsExactlyInAnyOrder(
                            ".notes.txt.swp.part",
                            "HOST_S001_MR1.1.1.dcm",
                            "HOST_S001_MR1.1.2.dcm",
                            "HOST_S001_MR1.1.3.dcm");
        }
    }
}
