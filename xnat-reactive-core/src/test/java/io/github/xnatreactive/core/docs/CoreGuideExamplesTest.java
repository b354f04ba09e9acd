package io.github.xnatreactive.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.AssessorRef;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.Experiment;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.ListOptions;
import io.github.xnatreactive.core.ProcessStep;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.ResourceRef;
import io.github.xnatreactive.core.RetryPolicy;
import io.github.xnatreactive.core.Subject;
import io.github.xnatreactive.core.SubjectRef;
import io.github.xnatreactive.core.UploadOptions;
import io.github.xnatreactive.core.UploadResult;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatDocument;
import io.github.xnatreactive.core.XnatEventListener;
import io.github.xnatreactive.core.XnatNotFoundException;
import io.github.xnatreactive.core.XnatRequest;
import io.github.xnatreactive.core.XnatTransportException;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;

/**
 * The examples of docs/guide/core.md, run against the testkit. Each block between "// doc:NAME" and "// end" is
 * the text of a snippet in the guide; {@link DocSnippetsTest} checks that the guide still shows them verbatim.
 */
class CoreGuideExamplesTest {
    @RegisterExtension
    static XnatTestServerExtension server =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:2x1x2x3x4K")));

    String url;
    XnatClient xnat;

    @TempDir
    Path tmp;

    @BeforeEach
    void connect() {
        url = server.server().baseUrl();
        xnat = XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.password("admin", "admin"))
                .build();
    }

    @AfterEach
    void close() {
        xnat.close();
    }

    @Test
    void connect_example() {
        String password = "admin";
        // doc:connect
        try (XnatClient client = XnatClient.builder()
                .serverUrl(url) // e.g. "https://xnat.example.org" or "https://host/xnat"
                .credentials(Credentials.password("admin", password))
                .responseTimeout(Duration.ofMinutes(2))
                .maxConnections(16)
                .retryPolicy(RetryPolicy.defaults().maxAttempts(5))
                .build()) {
            String version = client.version().block();
            System.out.println("XNAT " + version);
        }
        // end
    }

    @Test
    void listing_example() {
        // doc:listing
        List<String> labels = xnat.project("DEMO")
                .subjects()
                .map(Subject::label)
                .collectList()
                .block();

        List<Experiment> mrSessions = xnat.project("DEMO")
                .experiments(ListOptions.of().xsiType("xnat:mrSessionData").filter("label", "DEMO_S00*"))
                .collectList()
                .block();
        // end
        assertThat(labels).containsExactly("DEMO_S001", "DEMO_S002");
        assertThat(mrSessions).hasSize(2);
    }

    @Test
    void select_example() {
        // doc:select
        long scans = xnat.select("/projects/DEMO/subjects/*/experiments/*/scans")
                .count()
                .block();
        // end
        assertThat(scans).isEqualTo(4);
    }

    @Test
    void crud_example() {
        // doc:crud
        ProjectRef project = xnat.project("STUDY1");
        project.create(Map.of("name", "Pilot study", "description", "First 10 participants"))
                .block();

        SubjectRef subject = project.subject("P001");
        String subjectId = subject.create(Map.of("gender", "female", "xnat:subjectData/group", "control"))
                .block(); // accession ID, e.g. XNAT_S00003

        ExperimentRef session = subject.experiment("P001_MR1");
        String sessionId = session.create("xnat:mrSessionData", Map.of("date", "2024-05-01"))
                .block();
        session.scan("1")
                .create("xnat:mrScanData", Map.of("type", "T1w", "quality", "usable"))
                .block();

        session.update(Map.of("xnat:mrSessionData/fieldStrength", "3.0")).block();
        session.rename("P001_MR01").block();
        boolean exists = subject.experiment("P001_MR01").exists().block(); // false only on 404
        // end
        assertThat(subjectId).startsWith("XNAT_S");
        assertThat(sessionId).startsWith("XNAT_E");
        assertThat(exists).isTrue();
    }

    @Test
    void files_example() throws Exception {
        Path local = Files.writeString(tmp.resolve("notes.txt"), "hello");
        Path target = tmp.resolve("copy/notes.txt");
        // doc:files
        ResourceRef resource = xnat.project("DEMO")
                .subject("DEMO_S001")
                .experiment("DEMO_S001_MR1")
                .resource("NOTES");
        FileRef file = resource.file("notes/notes.txt");

        UploadResult result = file.upload(
                        local, UploadOptions.defaults().format("TXT").content("notes"))
                .block();
        if (!result.stored()) {
            System.out.println("kept the existing " + result.duplicates());
        }

        for (FileEntry entry : resource.files().collectList().block()) {
            System.out.println(entry.path() + " " + entry.size() + " bytes, md5 " + entry.digest());
        }

        // Streams to a temporary file, checks size and MD5, then moves it into place.
        Path downloaded = file.download(target).block();
        // end
        assertThat(Files.readString(downloaded)).isEqualTo("hello");
    }

    @Test
    void archive_example() {
        Path dir = tmp.resolve("archive");
        // doc:archive
        List<Path> files = xnat.project("DEMO")
                .subject("DEMO_S001")
                .experiment("DEMO_S001_MR1")
                .downloadScans(dir, "T1w") // scan types or IDs; none means all scans
                .block();
        // files: dir/DEMO_S001_MR1/scans/1-T1w/resources/DICOM/files/...
        // end
        assertThat(files).hasSize(3).allMatch(p -> p.startsWith(dir));
    }

    @Test
    void errors_example() {
        // doc:errors
        try {
            xnat.project("NO_SUCH_PROJECT").subjects().blockLast();
        } catch (XnatNotFoundException e) {
            System.out.println(e.status() + " " + e.method() + " " + e.uri() + ": " + e.serverMessage());
        }
        // end
    }

    @Test
    void raw_example() {
        // doc:raw
        JsonNode projects = xnat.request(XnatRequest.get("/data/projects").query("format", "json"))
                .json()
                .block();
        xnat.request(XnatRequest.put("/data/projects/DEMO/resources/NOTES/files/readme.txt")
                        .query("inbody", "true")
                        .header("X-Request-Id", "ingest-42")
                        .body("Acquired on the 3T.", "text/plain"))
                .discard()
                .block();
        byte[] readme = xnat.request(XnatRequest.get("/data/projects/DEMO/resources/NOTES/files/readme.txt"))
                .bytes()
                .block();
        // end
        assertThat(projects.path("ResultSet").path("Result").path(0).path("ID").asString())
                .isEqualTo("DEMO");
        assertThat(new String(readme, StandardCharsets.UTF_8)).isEqualTo("Acquired on the 3T.");
    }

    @Test
    void events_example() {
        // doc:events
        List<String> seen = new CopyOnWriteArrayList<>();
        try (XnatClient client = XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.password("admin", "admin"))
                .eventListener(new XnatEventListener() {
                    @Override
                    public void responseReceived(ResponseReceived e) {
                        seen.add(e.method() + " " + e.path() + " -> " + e.status());
                    }

                    @Override
                    public void retryScheduled(RetryScheduled e) {
                        System.out.println("retry of " + e.path() + " in " + e.delay() + " after " + e.cause());
                    }
                })
                .build()) {
            client.project("DEMO").subjects().blockLast();
        }
        // seen: [GET /data/JSESSION -> 200, GET /data/projects/{project}/subjects -> 200, DELETE /data/JSESSION -> 200]
        // end
        assertThat(seen).contains("GET /data/JSESSION -> 200", "GET /data/projects/{project}/subjects -> 200");
    }

    @Test
    void scheduler_example() {
        // doc:scheduler
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        try (XnatClient client = XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.password("admin", "admin"))
                .heartbeat(Duration.ofMinutes(5))
                .scheduler(time) // backoff, Retry-After and the heartbeat wait on this clock
                .build()) {
            client.projects().blockLast();
            time.advanceTimeBy(Duration.ofMinutes(5)); // the heartbeat is due now, without waiting five minutes
        }
        // end
        assertThat(time.now(TimeUnit.MINUTES)).isEqualTo(5);
    }

    @Test
    void transport_example() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String offlineUrl = "http://127.0.0.1:" + closedPort;
        // doc:transport
        try (XnatClient offline = XnatClient.builder()
                .serverUrl(offlineUrl)
                .credentials(Credentials.password("admin", "admin"))
                .retryPolicy(RetryPolicy.none())
                .build()) {
            offline.projects().blockLast();
        } catch (XnatTransportException e) {
            System.out.println(e.method() + " " + e.uri() + " got no answer: " + e.getCause());
        }
        // end
    }

    @Test
    void metadata_example() {
        String xml =
                """
                <xnat:MRSession label="MR7" xmlns:xnat="http://nrg.wustl.edu/xnat"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                  <xnat:date>2024-05-01</xnat:date>
                  <xnat:scans><xnat:scan ID="1" type="T1w" xsi:type="xnat:mrScanData">
                    <xnat:parameters><xnat:tr>2300</xnat:tr></xnat:parameters>
                  </xnat:scan></xnat:scans>
                  <xnat:assessors><xnat:assessor label="QC7" xsi:type="xnat:qcManualAssessorData"/></xnat:assessors>
                </xnat:MRSession>""";
        xnat.project("META").create().block(); // a project of its own: the other examples count DEMO's scans
        // doc:metadata
        ExperimentRef session = xnat.project("META").subject("S1").experiment("MR7");
        String id = session.putDocument(XnatDocument.parse(xml), false).block(); // creates it, with scan 1
        XnatDocument doc = session.document().block();
        String tr = doc.scans().get(0).field("parameters/tr").orElse(""); // "2300.0", as XNAT writes a decimal

        session.scan("1").setParameters(Map.of("Echo train", "4")).block(); // parameters/addParam[name=...]
        Map<String, String> params = session.scan("1").parameters().block(); // {Echo train=4}

        xnat.project("META")
                .defineCustomVariables("xnat:mrSessionData", "visit", Map.of("site", "string"))
                .block();
        session.setCustomFields(Map.of("site", "north")).block(); // fields/field[name=site]

        AssessorRef qc = session.assessor("QC7");
        qc.setProvenance(List.of(ProcessStep.of("qc", "2024-05-02T10:00:00", "alice", "node7", "Linux")), false)
                .block();
        List<ProcessStep> steps = qc.provenance().block();
        List<String> schemas = xnat.serverInfo().schemas().collectList().block(); // [catalog, prov, xdat, xnat]
        // end
        assertThat(id).startsWith("XNAT_E");
        assertThat(tr).isEqualTo("2300.0");
        assertThat(params).containsExactly(Map.entry("Echo train", "4"));
        assertThat(session.customFields().block()).containsEntry("site", "north");
        assertThat(steps).extracting(ProcessStep::program).containsExactly("qc");
        assertThat(schemas).contains("xnat");
    }
}
