package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.UploadOptions;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatEventListener;
import io.github.xnatreactive.core.XnatRequest;
import io.github.xnatreactive.testkit.RouteResponse;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A download plans each session from two requests (its document and one listing of all its files) instead of one
 * listing per part of its tree; and where the two disagree, nothing is skipped: a resource the all-files listing
 * leaves out is listed on its own, and a file in a resource the document does not name makes the planner walk the
 * session listing by listing.
 */
class DocumentPlanTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DOC:1x1x3x2x1K")));

    static final String SESSION_PATH = "/data/projects/DOC/subjects/DOC_S001/experiments/DOC_S001_MR1";
    /** What a test makes the server answer instead of its all-files listing and document (null: the real ones). */
    static final AtomicReference<String> allFilesAnswer = new AtomicReference<>();

    static final AtomicReference<String> documentAnswer = new AtomicReference<>();

    @BeforeAll
    static void routes() {
        xnat.server()
                .route(
                        "GET",
                        SESSION_PATH + "/files",
                        req -> answer(allFilesAnswer, "true".equals(req.queryParameter("all"))));
        xnat.server()
                .route("GET", SESSION_PATH, req -> answer(documentAnswer, "json".equals(req.queryParameter("format"))));
    }

    static RouteResponse answer(AtomicReference<String> instead, boolean applies) {
        String body = instead.get();
        return body != null && applies ? RouteResponse.text(200, "application/json", body) : RouteResponse.proceed();
    }

    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    XnatClient client;

    @BeforeEach
    void setUp(@TempDir Path tmp) throws Exception {
        allFilesAnswer.set(null);
        documentAnswer.set(null);
        client = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .eventListener(new XnatEventListener() {
                    @Override
                    public void requestStarted(RequestStarted e) {
                        requests.computeIfAbsent(e.method() + " " + e.path(), k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                })
                .build();
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "a session-level resource");
        session()
                .resource("NOTES")
                .file("notes.txt")
                .upload(notes, UploadOptions.defaults())
                .block();
        requests.clear();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    ExperimentRef session() {
        return client.project("DOC").subject("DOC_S001").experiment("DOC_S001_MR1");
    }

    TransferReport download(Path dest) {
        return BulkClient.of(client, fast().archive(ArchiveMode.NEVER))
                .download(session(), dest, Selection.all())
                .run()
                .block();
    }

    static final List<String> EXPECTED = List.of(
            "DOC/DOC_S001/DOC_S001_MR1/resources/NOTES/files/notes.txt",
            "DOC/DOC_S001/DOC_S001_MR1/scans/1-T1w/resources/DICOM/files/DOC_S001_MR1.1.1.dcm",
            "DOC/DOC_S001/DOC_S001_MR1/scans/1-T1w/resources/DICOM/files/DOC_S001_MR1.1.2.dcm",
            "DOC/DOC_S001/DOC_S001_MR1/scans/2-T2w/resources/DICOM/files/DOC_S001_MR1.2.1.dcm",
            "DOC/DOC_S001/DOC_S001_MR1/scans/2-T2w/resources/DICOM/files/DOC_S001_MR1.2.2.dcm",
            "DOC/DOC_S001/DOC_S001_MR1/scans/3-FLAIR/resources/DICOM/files/DOC_S001_MR1.3.1.dcm",
            "DOC/DOC_S001/DOC_S001_MR1/scans/3-FLAIR/resources/DICOM/files/DOC_S001_MR1.3.2.dcm");

    static List<String> filesUnder(Path dest) throws Exception {
        return BulkTesting.localFiles(dest).stream()
                .filter(p -> !p.endsWith("xnat-session.json"))
                .sorted()
                .toList();
    }

    /**
     * Listing requests (not file downloads), the project's subject-label lookup and the XML documents the download
     * keeps in xnat-session.json (the subject's, and the session's read by accession ID) left out.
     */
    int listings() {
        return requests.entrySet().stream()
                .filter(e -> e.getKey().startsWith("GET ") && !e.getKey().contains("/files/"))
                .filter(e -> !e.getKey().endsWith("/subjects"))
                .filter(e -> !e.getKey().equals("GET /data/projects/{project}/subjects/{subject}")
                        && !e.getKey().equals("GET /data/experiments/{id}"))
                .mapToInt(e -> e.getValue().get())
                .sum();
    }

    @Test
    void aSessionIsPlannedFromItsDocumentAndOneListing(@TempDir Path dest) throws Exception {
        TransferReport r = download(dest);
        assertThat(r.succeeded()).as(r.failed().toString()).isTrue();
        assertThat(filesUnder(dest)).isEqualTo(EXPECTED);
        assertThat(listings())
                .as("the document and the all-files listing, no listing per scan or resource: %s", requests)
                .isEqualTo(2);
    }

    @Test
    void aResourceTheAllFilesListingLeavesOutIsListedOnItsOwn(@TempDir Path dest) throws Exception {
        String all = raw(SESSION_PATH + "/files", Map.of("all", "true", "format", "json"));
        String withoutNotes = edit(all, root -> {
            ArrayNode rows = (ArrayNode) root.path("ResultSet").path("Result");
            for (int i = rows.size() - 1; i >= 0; i--) {
                if (rows.get(i).path("collection").asString().equals("NOTES")) {
                    rows.remove(i);
                }
            }
            return root;
        });
        assertThat(withoutNotes).doesNotContain("notes.txt");
        allFilesAnswer.set(withoutNotes);

        TransferReport r = download(dest);
        assertThat(r.succeeded()).as(r.failed().toString()).isTrue();
        assertThat(filesUnder(dest)).isEqualTo(EXPECTED);
        assertThat(requests).containsKey("GET /data/experiments/{id}/resources/{resource}/files");
    }

    @Test
    void aFileInAResourceTheDocumentDoesNotNameMakesThePlannerWalkTheListings(@TempDir Path dest) throws Exception {
        String doc = raw(SESSION_PATH, Map.of("format", "json"));
        String withoutResources = edit(doc, root -> {
            ArrayNode children = (ArrayNode) root.path("items").path(0).path("children");
            for (int i = children.size() - 1; i >= 0; i--) {
                if (children.get(i).path("field").asString().equals("resources/resource")) {
                    children.remove(i);
                }
            }
            return root;
        });
        assertThat(withoutResources).doesNotContain("NOTES");
        documentAnswer.set(withoutResources);

        TransferReport r = download(dest);
        assertThat(r.succeeded()).as(r.failed().toString()).isTrue();
        assertThat(filesUnder(dest)).isEqualTo(EXPECTED);
        assertThat(listings()).as("walked listing by listing: %s", requests).isGreaterThan(2);
    }

    String raw(String path, Map<String, String> query) {
        return client.request(XnatRequest.get(path).query(query)).text().block();
    }

    static String edit(String json, UnaryOperator<JsonNode> change) {
        JsonNode root = JSON.readTree(json);
        return JSON.writeValueAsString(change.apply((ObjectNode) root));
    }
}
