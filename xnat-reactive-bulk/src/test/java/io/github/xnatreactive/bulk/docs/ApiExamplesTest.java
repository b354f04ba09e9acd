package io.github.xnatreactive.bulk.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.xnatreactive.bulk.ArchiveMode;
import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.IngestReport;
import io.github.xnatreactive.bulk.Selection;
import io.github.xnatreactive.bulk.Transfer;
import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferFailedFastException;
import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.bulk.TransferPlan;
import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.AliasToken;
import io.github.xnatreactive.core.ArchiveRef;
import io.github.xnatreactive.core.AssessorRef;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.CustomVariable;
import io.github.xnatreactive.core.Experiment;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.ImportOptions;
import io.github.xnatreactive.core.ImportResult;
import io.github.xnatreactive.core.ListOptions;
import io.github.xnatreactive.core.NewUser;
import io.github.xnatreactive.core.PrearchiveSession;
import io.github.xnatreactive.core.PrearchiveSessionRef;
import io.github.xnatreactive.core.PrearchiveStatus;
import io.github.xnatreactive.core.ProcessStep;
import io.github.xnatreactive.core.Project;
import io.github.xnatreactive.core.ProjectAccess;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.Reconstruction;
import io.github.xnatreactive.core.ReconstructionRef;
import io.github.xnatreactive.core.RefreshOptions;
import io.github.xnatreactive.core.Resource;
import io.github.xnatreactive.core.ResourceRef;
import io.github.xnatreactive.core.RetryPolicy;
import io.github.xnatreactive.core.Scan;
import io.github.xnatreactive.core.ScanRef;
import io.github.xnatreactive.core.ServerInfo;
import io.github.xnatreactive.core.Share;
import io.github.xnatreactive.core.Subject;
import io.github.xnatreactive.core.SubjectRef;
import io.github.xnatreactive.core.UploadOptions;
import io.github.xnatreactive.core.UploadResult;
import io.github.xnatreactive.core.Users;
import io.github.xnatreactive.core.XnatAuthenticationException;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatDocument;
import io.github.xnatreactive.core.XnatEventListener;
import io.github.xnatreactive.core.XnatIntegrityException;
import io.github.xnatreactive.core.XnatNotFoundException;
import io.github.xnatreactive.core.XnatRequest;
import io.github.xnatreactive.core.XnatServerException;
import io.github.xnatreactive.core.XnatTransportException;
import io.github.xnatreactive.core.XnatUser;
import io.github.xnatreactive.core.search.Criteria;
import io.github.xnatreactive.core.search.SearchQuery;
import io.github.xnatreactive.dicom.DicomHeader;
import io.github.xnatreactive.dicom.DicomReader;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.RouteHandler;
import io.github.xnatreactive.testkit.RouteResponse;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.Trigger;
import io.github.xnatreactive.testkit.XnatTestServer;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;

/**
 * The examples of the Javadoc of core, bulk and testkit, run against a testkit server. Each block between
 * "// doc:NAME" and "// end" is the text of a {@code <pre>{@code ...}</pre>} example in the main sources, as
 * JavadocExamplesTest checks. Variables an example uses without declaring them ({@code xnat}, {@code url},
 * {@code session}, {@code dest}...) are set up around it. Examples that write use the project LAB, so that the
 * seeded project P1 stays as seeded: 1 subject, 2 sessions of 2 scans (T1w, T2w) of 5 files of 4 KiB.
 */
class ApiExamplesTest {
    // doc:extensionField
    @RegisterExtension
    static XnatTestServerExtension server =
            new XnatTestServerExtension(b -> b.user("admin", "secret").seed(SeedSpec.parse("P1:1x2x2x5x4K")));
    // end

    @TempDir
    Path tmp;

    String url;
    String user;
    String password;
    Credentials credentials;
    XnatClient xnat;
    /** The seeded session P1_S001_MR1: scans 1 (T1w) and 2 (T2w), 5 files each. */
    ExperimentRef session;

    Path dir;
    Path dest;

    @BeforeEach
    void connect() throws IOException {
        url = server.server().baseUrl();
        user = server.server().adminUser();
        password = server.server().adminPassword();
        credentials = Credentials.password(user, password);
        xnat = XnatClient.builder().serverUrl(url).credentials(credentials).build();
        session = xnat.project("P1").subject("P1_S001").experiment("P1_S001_MR1");
        dir = Files.createDirectories(tmp.resolve("dir"));
        dest = tmp.resolve("dest");
        xnat.project("LAB").create().block();
    }

    @AfterEach
    void close() {
        server.server().faults(FaultSpec.none());
        xnat.close();
    }

    /** A new session {@code label} of subject {@code subject} in LAB, with an empty scan 1. */
    ExperimentRef labSession(String subject, String label) {
        ExperimentRef e = xnat.project("LAB").subject(subject).experiment(label);
        e.create("xnat:mrSessionData", Map.of()).block();
        e.scan("1").create("xnat:mrScanData", Map.of("type", "T1w")).block();
        return e;
    }

    static XnatClient admin(XnatTestServer s) {
        return XnatClient.builder()
                .serverUrl(s.baseUrl())
                .credentials(Credentials.password(s.adminUser(), s.adminPassword()))
                .build();
    }

    // ------------------------------------------------------------------ core: the client

    @Test
    void xnatClient() {
        // doc:xnatClient
        List<String> labels;
        try (XnatClient xnat = XnatClient.builder()
                .serverUrl(url) // e.g. https://xnat.example.org, or https://host/xnat with a context path
                .credentials(Credentials.password(user, password))
                .build()) {
            labels = xnat.project("P1")
                    .subjects()
                    .map(Subject::label)
                    .collectList()
                    .block();
        }
        // end
        assertThat(labels).containsExactly("P1_S001");
    }

    @Test
    void builder() {
        String alias = user;
        String secret = password;
        // doc:builder
        XnatClient xnat = XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.aliasToken(alias, secret))
                .maxConnections(32)
                .responseTimeout(Duration.ofMinutes(2))
                .retryPolicy(RetryPolicy.defaults().maxAttempts(6))
                .applicationId("nightly-import/1.0")
                .build();
        // end
        try (xnat) {
            assertThat(xnat.maxConnections()).isEqualTo(32);
            assertThat(xnat.serverUrl()).isEqualTo(url);
            assertThat(xnat.projects().map(Project::id).collectList().block()).contains("P1");
        }
    }

    @Test
    void builderFromPyxnatConfig() throws IOException {
        Path fakeHome = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(
                fakeHome.resolve(".xnat.cfg"),
                "{\"server\": \"" + url + "\", \"user\": \"" + user + "\", \"password\": \"" + password + "\"}");
        String realHome = System.getProperty("user.home");
        System.setProperty("user.home", fakeHome.toString());
        try {
            // doc:pyxnatConfig
            Path home = Path.of(System.getProperty("user.home"));
            XnatClient fromPyxnat =
                    XnatClient.builder().pyxnatConfig(home.resolve(".xnat.cfg")).build();
            // end
            try (fromPyxnat) {
                assertThat(fromPyxnat.serverUrl()).isEqualTo(url);
                assertThat(fromPyxnat.project("P1").exists().block()).isTrue();
            }
        } finally {
            System.setProperty("user.home", realHome);
        }
    }

    @Test
    void credentials() {
        String alias = user; // the testkit has no token service; an alias logs in like a user name
        String tokenSecret = password;
        String jsessionId = xnat.request("GET", "/data/JSESSION", Map.of()).block();
        // doc:credentials
        Credentials byPassword = Credentials.password(user, password);
        Credentials byToken = Credentials.aliasToken(alias, tokenSecret); // from /data/services/tokens/issue
        Credentials bySession = Credentials.sessionId(jsessionId); // an existing JSESSIONID; cannot be renewed
        Credentials guest = Credentials.anonymous(); // guest access to public projects
        XnatClient xnat =
                XnatClient.builder().serverUrl(url).credentials(byPassword).build();
        // end
        try (xnat) {
            assertThat(xnat.project("P1").exists().block()).isTrue();
        }
        for (Credentials c : List.of(byToken, bySession)) {
            try (XnatClient other =
                    XnatClient.builder().serverUrl(url).credentials(c).build()) {
                assertThat(other.project("P1").exists().block())
                        .as(c.toString())
                        .isTrue();
            }
        }
        assertThat(List.of(byPassword, byToken, bySession, guest))
                .allSatisfy(c -> assertThat(c.toString()).doesNotContain(password, jsessionId));
        assertThat(guest.user()).isNull();
        try (XnatClient anonymous =
                XnatClient.builder().serverUrl(url).credentials(guest).build()) {
            // the testkit has no public projects: a guest is refused
            assertThatThrownBy(() -> anonymous.projects().collectList().block())
                    .isInstanceOf(XnatAuthenticationException.class);
        }
    }

    @Test
    void retryPolicy() {
        server.server().faults(FaultSpec.parse("unavailable=0.5,retry-after=0,seed=3"));
        long before = server.server().injectedFaults();
        // doc:retryPolicy
        RetryPolicy patient = RetryPolicy.defaults().maxAttempts(6).maxBackoff(Duration.ofSeconds(60));
        XnatClient xnat = XnatClient.builder()
                .serverUrl(url)
                .credentials(credentials)
                .retryPolicy(patient)
                .build();
        // end
        assertThat(patient.maxAttempts()).isEqualTo(6);
        assertThat(patient.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(patient.backoff(10)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryPolicy.defaults().maxAttempts()).isEqualTo(4);
        try (xnat) {
            assertThat(xnat.projects().map(Project::id).collectList().block()).contains("P1");
        }
        assertThat(server.server().injectedFaults()).isGreaterThan(before);
    }

    @Test
    void responseTimeout() throws IOException {
        ResourceRef resource = xnat.project("LAB").resource("ARCHIVE");
        Path zip = tmp.resolve("two.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : List.of("a.txt", "sub/b.txt")) {
                out.putNextEntry(new ZipEntry(name));
                out.write(name.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        // doc:responseTimeout
        UploadResult result = resource.uploadArchive(zip, UploadOptions.defaults())
                .contextWrite(XnatClient.responseTimeout(Duration.ofMinutes(10)))
                .block();
        // end
        assertThat(result.stored()).isTrue();
        assertThat(resource.files().map(FileEntry::path).collectList().block())
                .containsExactlyInAnyOrder("a.txt", "sub/b.txt");
    }

    @Test
    void onRetry() throws IOException {
        FileRef file = session.scan("1").resource("DICOM").file("P1_S001_MR1.1.1.dcm");
        Path target = tmp.resolve("retried.dcm");
        server.server().faults(FaultSpec.parse("unavailable=0.5,retry-after=0,seed=3"));
        // doc:onRetry
        List<Throwable> retries = new CopyOnWriteArrayList<>();
        Path local = file.download(target)
                .contextWrite(XnatClient.onRetry(retries::add))
                .block();
        // end
        assertThat(retries).isNotEmpty().allMatch(e -> e instanceof XnatServerException);
        assertThat(Files.size(local)).isEqualTo(4096);
    }

    @Test
    void listOptions() {
        // doc:listOptions
        ListOptions mrOnly = ListOptions.of()
                .filter("label", "*_MR1")
                .xsiType("xnat:mrSessionData")
                .columns("ID", "label", "date")
                .sortBy("date", true);
        List<Experiment> sessions =
                xnat.project("P1").experiments(mrOnly).collectList().block();
        // end
        assertThat(sessions).extracting(Experiment::label).containsExactly("P1_S001_MR1");
        assertThat(sessions.get(0).date()).isNotEmpty();
        assertThat(mrOnly.toParams())
                .containsEntry("label", "*_MR1")
                .containsEntry("columns", "ID,label,date")
                .containsEntry("sortOrder", "DESC");
    }

    @Test
    void uploadOptions() throws IOException {
        ResourceRef resource = xnat.project("LAB").resource("NOTES");
        Path local = Files.writeString(tmp.resolve("readme.txt"), "read me");
        // doc:uploadOptions
        UploadOptions notes = UploadOptions.defaults()
                .overwrite(true)
                .format("TXT")
                .content("NOTES")
                .tags("site=A");
        UploadResult result =
                resource.file("notes/readme.txt").upload(local, notes).block();
        // end
        assertThat(result.stored()).isTrue();
        FileEntry entry = resource.file("notes/readme.txt").entry().block();
        assertThat(entry.size()).isEqualTo(7);
        assertThat(entry.format()).isEqualTo("TXT");
        assertThat(entry.content()).isEqualTo("NOTES");
        assertThat(entry.tags()).contains("site=A");
    }

    @Test
    void eventListener() {
        // doc:eventListener
        Map<String, LongAdder> calls = new ConcurrentHashMap<>(); // e.g. "GET /data/projects/{project} 200" -> 3
        XnatClient xnat = XnatClient.builder()
                .serverUrl(url)
                .credentials(Credentials.password(user, password))
                .eventListener(new XnatEventListener() {
                    public void responseReceived(ResponseReceived e) {
                        String key = e.method() + " " + e.path() + " " + e.status();
                        calls.computeIfAbsent(key, k -> new LongAdder()).increment();
                    }
                })
                .build();
        // end
        try (xnat) {
            for (int i = 0; i < 3; i++) {
                assertThat(xnat.project("P1").get().block().id()).isEqualTo("P1");
            }
            assertThat(xnat.project("NOPE").exists().block()).isFalse();
        }
        assertThat(calls.get("GET /data/projects/{project} 200")).hasValue(3);
        assertThat(calls.keySet())
                .as("templated paths only, no IDs")
                .noneMatch(k -> k.contains("P1") || k.contains("NOPE"))
                .anyMatch(k -> k.startsWith("GET /data/projects/{project} 404"));
    }

    @Test
    void builderEventListener() {
        server.server().faults(FaultSpec.parse("unavailable=1,retry-after=0"));
        XnatClient.Builder builder = XnatClient.builder()
                .serverUrl(url)
                .credentials(credentials)
                .retryPolicy(RetryPolicy.defaults().maxAttempts(2).initialBackoff(Duration.ofMillis(10)));
        // doc:builderEventListener
        List<String> retries = new CopyOnWriteArrayList<>();
        XnatClient xnat = builder.eventListener(new XnatEventListener() {
                    public void retryScheduled(RetryScheduled e) {
                        retries.add(
                                e.method() + " " + e.path() + " in " + e.delay().toMillis() + " ms");
                    }
                })
                .build();
        // end
        try (xnat) {
            // every attempt gets a 503: the first is retried once, the second is the last of 2
            assertThatThrownBy(() -> xnat.projects().collectList().block()).isInstanceOf(XnatServerException.class);
        }
        assertThat(retries).singleElement().asString().matches("GET /data/projects in \\d+ ms");
    }

    @Test
    @Timeout(30) // the example awaits its latch without a limit
    void scheduler() throws InterruptedException {
        XnatTestServer s = server.server();
        CountDownLatch retryScheduled = new CountDownLatch(1);
        List<Duration> waits = new CopyOnWriteArrayList<>();
        XnatClient.Builder builder = XnatClient.builder()
                .serverUrl(url)
                .credentials(credentials)
                .eventListener(new XnatEventListener() {
                    @Override
                    public void retryScheduled(RetryScheduled e) {
                        waits.add(e.delay());
                        s.faults(FaultSpec.none()); // the retry succeeds
                        retryScheduled.countDown();
                    }
                });
        s.faults(FaultSpec.parse("unavailable=1,retry-after=30"));
        long faultsBefore = s.injectedFaults();
        // doc:scheduler
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        XnatClient xnat = builder.scheduler(time).build();
        CompletableFuture<List<Project>> projects =
                xnat.projects().collectList().toFuture();
        retryScheduled.await(); // a latch the builder's XnatEventListener counts down: a 503 with Retry-After: 30
        time.advanceTimeBy(Duration.ofSeconds(30)); // the 30 s wait passes at once
        List<Project> listed = projects.join();
        // end
        try (xnat) {
            assertThat(listed).extracting(Project::id).contains("P1");
            assertThat(waits).containsExactly(Duration.ofSeconds(30));
            assertThat(s.injectedFaults()).isEqualTo(faultsBefore + 1);
        } finally {
            time.dispose();
        }
    }

    @Test
    void xnatRequest() {
        xnat.project("LAB").resource("NOTES").create().block();
        // doc:xnatRequest
        JsonNode info = xnat.request(XnatRequest.get("/xapi/siteConfig/buildInfo"))
                .json()
                .block();
        String version = info.path("version").asString(); // e.g. "1.8.10"
        xnat.request(XnatRequest.put("/data/projects/LAB/resources/NOTES/files/a.json")
                        .query("inbody", "true") // the body is the file itself, not a multipart form
                        .header("X-Request-Purpose", "example")
                        .body("{\"a\":1}", "application/json"))
                .discard()
                .block();
        // end
        assertThat(version).isEqualTo(xnat.version().block()).isNotEmpty();
        FileRef a = xnat.project("LAB").resource("NOTES").file("a.json");
        assertThat(a.entry().block().size()).isEqualTo(7);
        assertThat(xnat.request(XnatRequest.get(a.path())).bytes().block())
                .isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        XnatRequest get =
                XnatRequest.get("/data/projects").query("format", "json").query("q", null);
        assertThat(get.query()).containsExactly(Map.entry("format", "json"));
        assertThat(get.method()).isEqualTo("GET");
        assertThatThrownBy(() -> get.header("Cookie", "JSESSIONID=x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> XnatRequest.get("/data/projects?format=json"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void xnatCall() {
        String dicom = session.scan("1").resource("DICOM").path();
        // doc:xnatCall
        String code = xnat.request(XnatRequest.get("/data/projects/P1/prearchive_code"))
                .text()
                .block(); // "0"
        JsonNode doc = xnat.request(XnatRequest.get("/data/projects/P1").query("format", "json"))
                .json()
                .block();
        String name = doc.at("/items/0/data_fields/name").asString();
        long size = xnat
                .request(XnatRequest.get(dicom + "/files/P1_S001_MR1.1.1.dcm")) // dicom: a resource's path
                .stream()
                .reduce(0L, (n, buffer) -> n + buffer.remaining())
                .block(); // 4096
        // end
        assertThat(code).isEqualTo("0");
        assertThat(name).isEqualTo(xnat.project("P1").get().block().name()).isNotEmpty();
        assertThat(size).isEqualTo(4096);
        assertThatThrownBy(() -> xnat.request(XnatRequest.get("/data/projects/NOPE"))
                        .text()
                        .block())
                .isInstanceOf(XnatNotFoundException.class);
    }

    /** The archive folder of resource {@code label} of an object, where the testkit keeps its files. */
    Path folderOf(reactor.core.publisher.Flux<Resource> resources, String label) {
        String id =
                resources.filter(r -> r.label().equals(label)).single().block().id();
        return server.server().dataDir().resolve("archive").resolve(id);
    }

    @Test
    void rawRefreshCatalog() throws IOException {
        ResourceRef docs = xnat.project("LAB").resource("DOCS");
        docs.create().block();
        Files.writeString(
                folderOf(xnat.project("LAB").resources(), "DOCS").resolve("late.txt"), "written behind XNAT's back");
        assertThat(docs.files().collectList().block()).isEmpty();
        // doc:rawRefreshCatalog
        xnat.request(XnatRequest.post("/data/services/refresh/catalog")
                        .query("resource", "/archive/projects/LAB/resources/DOCS")
                        .query("options", "append"))
                .discard()
                .block();
        // end
        assertThat(docs.files().map(FileEntry::path).collectList().block()).containsExactly("late.txt");
    }

    @Test
    void refreshOptions() throws IOException {
        ExperimentRef experiment = labSession("S007", "S007_MR1");
        ResourceRef resource = experiment.scan("1").resource("DICOM");
        resource.create().block();
        Files.writeString(folderOf(experiment.scan("1").resources(), "DICOM").resolve("1.dcm"), "one");
        // doc:refreshOptions
        RefreshOptions addNew = RefreshOptions.none().append(true); // sent as options=append
        resource.refreshCatalog(addNew).block();
        experiment.refreshCatalog(RefreshOptions.all()).block(); // the catalogs under the session
        // end
        assertThat(addNew.append()).isTrue();
        assertThat(addNew.checksum() || addNew.delete() || addNew.populateStats())
                .isFalse();
        assertThat(addNew).isEqualTo(RefreshOptions.none().append(true)).hasToString("RefreshOptions[append]");
        assertThat(resource.files().map(FileEntry::path).collectList().block()).containsExactly("1.dcm");
        assertThatThrownBy(() -> xnat.project("LAB")
                        .subject("S007")
                        .experiment("NOPE")
                        .refreshCatalog(RefreshOptions.all())
                        .block())
                .isInstanceOf(XnatNotFoundException.class);
    }

    @Test
    void resourceRefreshCatalog() throws IOException {
        ExperimentRef experiment = labSession("S008", "S008_MR1");
        ResourceRef resource = experiment.scan("1").resource("DICOM");
        resource.file("1.dcm")
                .upload(Files.writeString(tmp.resolve("1.dcm"), "one"), UploadOptions.defaults())
                .block();
        Path folder = folderOf(experiment.scan("1").resources(), "DICOM");
        Files.writeString(folder.resolve("2.dcm"), "two");
        // doc:resourceRefreshCatalog
        resource.refreshCatalog(RefreshOptions.none().append(true).populateStats(true))
                .block();
        List<String> names = resource.files().map(FileEntry::path).collectList().block(); // with the new files
        // end
        assertThat(names).containsExactlyInAnyOrder("1.dcm", "2.dcm");
        assertThat(experiment
                        .scan("1")
                        .resources()
                        .filter(r -> r.label().equals("DICOM"))
                        .single()
                        .block()
                        .fileCount())
                .isEqualTo(2);
    }

    @Test
    void scanRefreshCatalog() throws IOException {
        ExperimentRef experiment = labSession("S009", "S009_MR1");
        ScanRef scan = experiment.scan("1");
        scan.resource("DICOM").create().block();
        byte[] late = "late".getBytes(StandardCharsets.UTF_8);
        Files.write(folderOf(scan.resources(), "DICOM").resolve("late.dcm"), late);
        // doc:scanRefreshCatalog
        scan.refreshCatalog(RefreshOptions.all()).block(); // append, checksum, delete and populateStats
        // end
        FileEntry entry = scan.resource("DICOM").file("late.dcm").entry().block();
        assertThat(entry.size()).isEqualTo(late.length);
        assertThat(entry.digest()).isEqualTo(md5(late));
    }

    @Test
    void experimentRefreshCatalog() throws IOException {
        ExperimentRef session = labSession("S010", "S010_MR1");
        ResourceRef notes = session.resource("NOTES");
        for (String name : List.of("1.txt", "2.txt")) {
            notes.file(name)
                    .upload(Files.writeString(tmp.resolve(name), name), UploadOptions.defaults())
                    .block();
        }
        Files.delete(folderOf(session.resources(), "NOTES").resolve("2.txt"));
        // doc:experimentRefreshCatalog
        session.refreshCatalog(RefreshOptions.none().checksum(true).delete(true))
                .block();
        // end
        assertThat(notes.files().map(FileEntry::path).collectList().block()).containsExactly("1.txt");
    }

    static String md5(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ core: the refs

    @Test
    void projectRef() {
        // doc:projectRef
        ProjectRef p = xnat.project("PILOT");
        p.create(Map.of("name", "Pilot study")).block();
        p.setAccessibility("protected").block();
        String name = p.get().block().name(); // "Pilot study"
        List<String> subjects = p.subjects().map(Subject::label).collectList().block();
        // end
        assertThat(name).isEqualTo("Pilot study");
        assertThat(subjects).isEmpty();
        assertThat(p.accessibility().block()).isEqualTo("protected");
    }

    @Test
    void subjectRef() {
        // doc:subjectRef
        SubjectRef s = xnat.project("LAB").subject("S002");
        String id = s.create(Map.of("gender", "female", "xnat:subjectData/group", "control"))
                .block();
        Map<String, String> fields = s.fields().block(); // demographics/gender=female, group=control...
        // end
        assertThat(id).startsWith("XNAT_S");
        assertThat(s.get().block().id()).isEqualTo(id);
        assertThat(fields).containsValues("female", "control");
    }

    @Test
    void experimentRef() {
        String sessionId = session.get().block().id();
        // doc:experimentRef
        ExperimentRef mr = xnat.project("LAB").subject("S003").experiment("S003_MR1");
        String id =
                mr.create("xnat:mrSessionData", Map.of("date", "2024-05-01")).block();
        mr.scan("1").create("xnat:mrScanData", Map.of("type", "T1w")).block();
        List<Path> files = xnat.experiment(sessionId).downloadScans(dir, "T1w").block();
        // end
        assertThat(id).startsWith("XNAT_E");
        assertThat(mr.get().block().date()).isEqualTo("2024-05-01");
        assertThat(mr.scan("1").get().block().type()).isEqualTo("T1w");
        assertThat(files).hasSize(5).allMatch(Files::isRegularFile);
    }

    @Test
    void scanRef() {
        // doc:scanRef
        ScanRef t1 =
                xnat.project("P1").subject("P1_S001").experiment("P1_S001_MR1").scan("1");
        Scan scan = t1.get().block(); // type "T1w", quality "usable", xsiType "xnat:mrScanData"
        List<String> resources =
                t1.resources().map(Resource::label).collectList().block(); // [DICOM]
        t1.update(Map.of("note", "motion in the last volumes")).block();
        // end
        assertThat(scan.type()).isEqualTo("T1w");
        assertThat(scan.quality()).isEqualTo("usable");
        assertThat(scan.xsiType()).isEqualTo("xnat:mrScanData");
        assertThat(resources).containsExactly("DICOM");
        assertThat(t1.get().block().note()).isEqualTo("motion in the last volumes");
    }

    @Test
    void assessorRef() {
        labSession("S004", "S004_MR1");
        // doc:assessorRef
        AssessorRef qc =
                xnat.project("LAB").subject("S004").experiment("S004_MR1").assessor("S004_MR1_QC");
        String qcId = qc.create("xnat:qcManualAssessorData", Map.of()).block();
        qc.outResource("REPORT").create().block();
        List<String> outputs =
                qc.outResources().map(Resource::label).collectList().block(); // [REPORT]
        // end
        assertThat(qcId).startsWith("XNAT_E");
        assertThat(outputs).containsExactly("REPORT");
        assertThat(qc.experiment()
                        .assessors()
                        .map(Experiment::label)
                        .collectList()
                        .block())
                .containsExactly("S004_MR1_QC");
    }

    @Test
    void reconstructionRef() {
        labSession("S005", "S005_MR1");
        // doc:reconstructionRef
        ReconstructionRef recon =
                xnat.project("LAB").subject("S005").experiment("S005_MR1").reconstruction("R1");
        recon.create("xnat:reconstructedImageData", Map.of("type", "T1_BRAIN")).block();
        recon.outResource("NIFTI").create().block();
        List<String> ids = recon.experiment()
                .reconstructions()
                .map(Reconstruction::id)
                .collectList()
                .block();
        // end
        assertThat(ids).containsExactly("R1");
        assertThat(recon.outResources().map(Resource::label).collectList().block())
                .containsExactly("NIFTI");
    }

    @Test
    void resourceRef() {
        // doc:resourceRef
        ResourceRef dicom = session.scan("1").resource("DICOM");
        List<String> names = dicom.files().map(FileEntry::path).collectList().block();
        List<Path> written = dicom.downloadArchive(dir).block(); // extracted as XNAT lays it out
        // end
        assertThat(names).hasSize(5).contains("P1_S001_MR1.1.1.dcm");
        assertThat(written).hasSize(5).allSatisfy(p -> {
            assertThat(p).startsWith(dir);
            assertThat(names).contains(p.getFileName().toString());
        });
    }

    @Test
    void fileRef() throws IOException {
        ExperimentRef session = labSession("S006", "S006_MR1");
        Path source = tmp.resolve("1.dcm");
        try (OutputStream out = Files.newOutputStream(source)) {
            for (int i = 0; i < 3000; i++) {
                out.write(i * 31);
            }
        }
        // doc:fileRef
        FileRef f = session.scan("1").resource("DICOM").file("extra/1.dcm");
        UploadResult up = f.upload(source, UploadOptions.defaults()).block();
        Path local = f.download(dir.resolve("1.dcm")).block(); // verified by size and MD5
        // end
        assertThat(up.stored()).isTrue();
        assertThat(f.entry().block().digest()).hasSize(32);
        assertThat(Files.readAllBytes(local)).isEqualTo(Files.readAllBytes(source));
    }

    @Test
    void archiveRef() {
        // doc:archiveRef
        List<ArchiveRef> t1 = xnat.select("/projects/P1/subjects/P1_S00?/experiments/*_MR1/scans/1/resources/DICOM")
                .collectList()
                .block();
        boolean there = t1.get(0).exists().block();
        String path = t1.get(0).path(); // /data/projects/P1/subjects/P1_S001/experiments/P1_S001_MR1/scans/1/...
        // end
        assertThat(t1).hasSize(1).first().isInstanceOf(ResourceRef.class);
        assertThat(there).isTrue();
        assertThat(path)
                .isEqualTo("/data/projects/P1/subjects/P1_S001/experiments/P1_S001_MR1/scans/1/resources/DICOM");
    }

    // ------------------------------------------------------------------ bulk

    @Test
    void bulkClient() {
        // doc:bulkClient
        BulkClient bulk = BulkClient.of(xnat, TransferOptions.defaults().concurrency(8));
        TransferReport r = bulk.downloadProject(xnat.project("P1"), dest, Selection.all())
                .run()
                .block();
        System.out.println(r.summary()); // 20 files (0.1 MB) moved, 0 already in place, 0 retries, 0 failed...
        // end
        assertThat(r.succeeded()).isTrue();
        assertThat(r.files()).isEqualTo(20);
        assertThat(r.summary()).startsWith("20 files (0.1 MB) moved, 0 already in place, 0 retries, 0 failed");
        assertThat(dest.resolve("P1/P1_S001/P1_S001_MR2/scans/2-T2w/resources/DICOM/files/P1_S001_MR2.2.5.dcm"))
                .hasSize(4096);
    }

    @Test
    void transferOptions() {
        // doc:transferOptions
        TransferOptions options = TransferOptions.defaults()
                .concurrency(8)
                .adaptive(true)
                .maxAttempts(5)
                .failFast(false);
        Transfer transfer = BulkClient.of(xnat, options).download(session, dest, Selection.all());
        int atOnce = transfer.concurrency(); // 8, or the client's pool size if smaller
        // end
        assertThat(atOnce).isEqualTo(8);
        assertThat(options.maxAttempts()).isEqualTo(5);
        assertThat(transfer.run().block().files()).isEqualTo(10);
    }

    @Test
    void selection() {
        // doc:selection
        Selection structural =
                Selection.all().scanTypes("T1w", "FLAIR").resources("DICOM").scansOnly();
        TransferPlan plan =
                BulkClient.of(xnat).download(session, dest, structural).plan().block();
        // end
        assertThat(plan.toTransfer()).hasSize(5).allMatch(i -> i.source().contains("/scans/1/"));
        assertThat(plan.upToDate()).isEmpty();
        assertThat(structural.includesScan("2", "T2w")).isFalse();
        assertThat(dest).doesNotExist();
    }

    @Test
    void transfer() {
        // doc:transfer
        Transfer transfer = BulkClient.of(xnat).download(session, dest, Selection.all());
        TransferPlan before = transfer.plan().block(); // what would move; nothing is written
        TransferReport report = transfer.events()
                .doOnNext(e -> {
                    if (e instanceof TransferEvent.Failed f) {
                        System.err.println("failed: " + f.item() + ": " + f.cause());
                    }
                })
                .ofType(TransferEvent.Finished.class)
                .blockLast()
                .report();
        TransferPlan after = transfer.plan().block(); // everything is now up to date
        // end
        assertThat(before.toTransfer()).hasSize(10);
        assertThat(report.files()).isEqualTo(10);
        assertThat(report.failed()).isEmpty();
        assertThat(after.toTransfer()).isEmpty();
        assertThat(after.upToDate()).extracting(TransferItem::target).hasSize(10);
    }

    @Test
    void archiveMode() {
        // doc:archiveMode
        TransferOptions zipped = TransferOptions.defaults().archive(ArchiveMode.ALWAYS);
        // end
        List<TransferEvent> events = new CopyOnWriteArrayList<>();
        BulkClient.of(xnat, zipped)
                .download(session, dest, Selection.all())
                .events()
                .doOnNext(events::add)
                .blockLast();
        assertThat(events.stream().filter(e -> e instanceof TransferEvent.Archived))
                .hasSize(2);
        assertThat(events.stream().filter(e -> e instanceof TransferEvent.Completed))
                .hasSize(10);
    }

    @Test
    void failedFast() throws IOException {
        // the first file of scan 1 differs on the server's disk from its listed MD5: it never verifies
        FileEntry victim = session.scan("1").resource("DICOM").files().blockFirst();
        Path stored;
        try (var s = Files.walk(server.server().dataDir())) {
            stored = s.filter(p -> p.getFileName().toString().equals(victim.path()))
                    .findFirst()
                    .orElseThrow();
        }
        byte[] original = Files.readAllBytes(stored);
        byte[] changed = original.clone();
        changed[changed.length - 1] ^= 1;
        Files.write(stored, changed);
        try {
            Transfer transfer = BulkClient.of(
                            xnat,
                            TransferOptions.defaults()
                                    .failFast(true)
                                    .maxAttempts(1)
                                    .archive(ArchiveMode.NEVER))
                    .download(session, dest, Selection.all());
            // doc:failedFast
            TransferReport report = transfer.run()
                    .onErrorResume(TransferFailedFastException.class, e -> Mono.just(e.report()))
                    .block();
            // end
            assertThat(report.succeeded()).isFalse();
            assertThat(report.failed()).hasSize(1);
            assertThat(report.failed().get(0).error()).isInstanceOf(XnatIntegrityException.class);
        } finally {
            Files.write(stored, original);
        }
    }

    @Test
    void zipContent() throws IOException {
        // doc:zipContent
        Flux<ByteBuffer> zip = session.scan("1").resource("DICOM").zipContent();
        // end
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (ByteBuffer b : zip.collectList().block()) {
            byte[] a = new byte[b.remaining()];
            b.get(a);
            bytes.writeBytes(a);
        }
        List<String> names = new java.util.ArrayList<>();
        try (java.util.zip.ZipInputStream in =
                new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        assertThat(names).hasSize(5).allMatch(n -> n.startsWith("P1_S001_MR1/scans/1-T1w/resources/DICOM/files/"));
    }

    // ------------------------------------------------------------------ testkit

    @Test
    void testServer() {
        // doc:testServer
        List<String> sessions;
        try (XnatTestServer server = XnatTestServer.builder()
                        .user("admin", "admin")
                        .seed(SeedSpec.parse("DEMO:1x2x3x4x4K")) // 1 subject, 2 sessions, 3 scans, 4 files of 4 KiB
                        .start();
                XnatClient xnat = XnatClient.builder()
                        .serverUrl(server.baseUrl()) // http://127.0.0.1:<free port>
                        .credentials(Credentials.password(server.adminUser(), server.adminPassword()))
                        .build()) {
            sessions = xnat.project("DEMO")
                    .experiments()
                    .map(Experiment::label)
                    .collectList()
                    .block();
        }
        // end
        assertThat(sessions).containsExactlyInAnyOrder("DEMO_S001_MR1", "DEMO_S001_MR2");
    }

    @Test
    void testServerBuilder() {
        // doc:testServerBuilder
        XnatTestServer.Builder builder = XnatTestServer.builder()
                .user("admin", "s3cret") // the first user is the site administrator
                .user("alice", "alicepw") // later users are ordinary users who own the projects they create
                .seed(SeedSpec.parse("DEMO:1x1x2x3x4K"))
                .faults(FaultSpec.none().latency(Duration.ofMillis(5)))
                .sessionTimeout(Duration.ofMinutes(15))
                .siteId("TEST"); // accession IDs TEST_S00001, TEST_E00001...
        // end
        try (XnatTestServer started = builder.start();
                XnatClient admin = admin(started)) {
            assertThat(started.adminUser()).isEqualTo("admin");
            assertThat(started.password("alice")).isEqualTo("alicepw");
            assertThat(admin.project("DEMO")
                            .subjects()
                            .map(Subject::id)
                            .collectList()
                            .block())
                    .singleElement()
                    .satisfies(id -> assertThat(id).startsWith("TEST_S"));
        }
    }

    @Test
    void seedSpec() {
        // doc:seedSpec
        SeedSpec demo = SeedSpec.parse("DEMO:2x1x2x3x4K"); // 2 subjects x 1 session x 2 scans x 3 files of 4 KiB
        long files = demo.totalFiles(); // 12
        XnatTestServer.Builder builder = XnatTestServer.builder().seed(demo);
        // end
        assertThat(files).isEqualTo(12);
        assertThat(demo).isEqualTo(new SeedSpec("DEMO", 2, 1, 2, 3, 4096));
        try (XnatTestServer started = builder.start();
                XnatClient admin = admin(started)) {
            assertThat(admin.project("DEMO")
                            .subjects()
                            .map(Subject::label)
                            .collectList()
                            .block())
                    .containsExactlyInAnyOrder("DEMO_S001", "DEMO_S002");
            assertThat(admin.project("DEMO")
                            .subject("DEMO_S002")
                            .experiment("DEMO_S002_MR1")
                            .scan("2")
                            .resource("DICOM")
                            .files()
                            .map(FileEntry::size)
                            .collectList()
                            .block())
                    .containsExactly(4096L, 4096L, 4096L);
        }
    }

    @Test
    void routes() {
        // doc:routeBuilder
        XnatTestServer custom = XnatTestServer.builder()
                .route(
                        "GET",
                        "/data/projects/{project}/custom",
                        req -> RouteResponse.text(200, "text/plain", "hello " + req.pathVariable("project")))
                .start();
        // end
        try (custom;
                XnatClient c = admin(custom)) {
            assertThat(c.request("GET", "/data/projects/P1/custom", Map.of()).block())
                    .isEqualTo("hello P1");
        }
    }

    @Test
    void routeHandlerAndResponse() {
        // doc:routeHandler
        RouteHandler firstFails = req -> req.callCount() == 1
                ? RouteResponse.error(503, "try again")
                : RouteResponse.proceed(); // then as the built-in route answers
        // end
        // doc:routeResponse
        RouteResponse ok =
                RouteResponse.text(200, "application/json", "{\"ok\":true}").header("X-Test", "1");
        // end
        List<String> retried = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (XnatTestServer s = XnatTestServer.builder()
                        .user("admin", "secret")
                        .seed(SeedSpec.parse("P1:1x1x1x1x1K"))
                        .route("GET", "/data/projects", firstFails)
                        .route("GET", "/data/ok", req -> ok)
                        .start();
                XnatClient c = XnatClient.builder()
                        .serverUrl(s.baseUrl())
                        .credentials(Credentials.password("admin", "secret"))
                        .retryPolicy(RetryPolicy.defaults().initialBackoff(java.time.Duration.ofMillis(1)))
                        .build()) {
            List<String> ids = c.projects()
                    .map(Project::id)
                    .contextWrite(XnatClient.onRetry(e -> retried.add(e.getMessage())))
                    .collectList()
                    .block();
            assertThat(ids).containsExactly("P1"); // the 503 was retried, then the built-in route answered
            assertThat(retried).hasSize(1).allMatch(m -> m.contains("503"));
            assertThat(c.request("GET", "/data/ok", Map.of()).block()).isEqualTo("{\"ok\":true}");
        }
    }

    @Test
    void faultSpec() {
        XnatTestServer server = ApiExamplesTest.server.server();
        long before = server.injectedFaults();
        // doc:faultSpec
        FaultSpec flaky = FaultSpec.parse("unavailable=0.3,retry-after=0,seed=7");
        FaultSpec same =
                FaultSpec.none().unavailableRate(0.3).retryAfterSeconds(0).seed(7);
        server.faults(flaky); // for the requests from now on
        List<Project> projects = xnat.projects().collectList().block(); // the client retries each 503
        long injected = server.injectedFaults();
        server.faults(FaultSpec.none());
        // end
        assertThat(same).hasToString(flaky.toString());
        assertThat(projects).extracting(Project::id).contains("P1");
        assertThat(injected).isGreaterThan(before);
        assertThat(server.injectedFaults()).isEqualTo(injected);
    }

    @Test
    void faultSpecArchive() {
        // doc:faultSpecArchive
        FaultSpec cut = FaultSpec.none()
                .archiveDropRate(1.0)
                .archiveDropAfterBytes(100_000)
                .route("/data/experiments/{experiment}/**");
        FaultSpec same =
                FaultSpec.parse("archive-drop=1,archive-drop-after=100000,route=/data/experiments/{experiment}/**");
        // end
        assertThat(same).hasToString(cut.toString());
        assertThat(cut.appliesTo("/data/experiments/XNAT_E00001/scans/1/resources/DICOM/files"))
                .isTrue();
        assertThat(cut.appliesTo("/data/projects/P1")).isFalse();
        assertThat(cut.archiveDropAfterBytes()).isEqualTo(100_000);
    }

    @Test
    void transportException() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        XnatClient unreachable = XnatClient.builder()
                .serverUrl("http://127.0.0.1:" + closedPort)
                .credentials(Credentials.sessionId("no-login-needed")) // so that the first request is the listing
                .retryPolicy(RetryPolicy.none())
                .build();
        String said = null;
        XnatClient xnat = unreachable;
        // doc:transportException
        try {
            xnat.projects().collectList().block();
        } catch (XnatTransportException e) {
            said = e.method() + " " + e.uri() + " got no answer: " + e.getCause();
        }
        // end
        xnat.close();
        assertThat(said)
                .startsWith("GET /data/projects")
                .contains("got no answer")
                .doesNotContain(password);
    }

    @Test
    void extensionField() {
        XnatTestServer s = server.server();
        assertThat(s.adminUser()).isEqualTo("admin");
        assertThat(s.adminPassword()).isEqualTo("secret");
        assertThat(xnat.project("P1").subjects().count().block()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ ingest: DICOM import, prearchive (issue 11)

    /** Writes a small study of DICOM files (one series of {@code files} instances) under {@code into}. */
    static Path dicomStudy(Path into, String patient, String studyUid, int files) throws IOException {
        Files.createDirectories(into);
        for (int i = 1; i <= files; i++) {
            io.github.xnatreactive.testkit.internal.DicomWriter.write(
                    into.resolve("IM" + i + ".dcm"),
                    1024,
                    new io.github.xnatreactive.testkit.internal.DicomWriter.Instance(
                            patient, patient + "_MR1", studyUid, "20240102", "study", studyUid + ".1", 1, "T1w", i),
                    new java.util.SplittableRandom(i),
                    new byte[1024]);
        }
        return into.resolve("IM1.dcm");
    }

    @Test
    void dicomReader() throws IOException {
        Path file = dicomStudy(tmp.resolve("study"), "SUBJ01", "1.2.3.4", 1);
        // doc:dicomReader
        DicomHeader h = DicomReader.read(file);
        String series = h.string(DicomHeader.SERIES_INSTANCE_UID);
        long number = h.integer(DicomHeader.SERIES_NUMBER).orElse(0L);
        // end
        assertThat(series).isEqualTo("1.2.3.4.1");
        assertThat(number).isEqualTo(1);
    }

    @Test
    void dicomHeader() throws IOException {
        Path file = dicomStudy(tmp.resolve("study"), "SUBJ01", "1.2.3.4", 1);
        // doc:dicomHeader
        DicomHeader h = DicomReader.read(file);
        String study = h.string(DicomHeader.STUDY_INSTANCE_UID);
        String name = h.string(DicomHeader.PATIENT_NAME); // Yamada^Tarou=山田^太郎 in a Japanese file
        // end
        assertThat(study).isEqualTo("1.2.3.4");
        assertThat(name).isEqualTo("SUBJ01");
    }

    @Test
    void importOptions() {
        // doc:importOptions
        ImportOptions direct = ImportOptions.toArchive("LAB")
                .subject("SUBJ01")
                .session("SUBJ01_MR1")
                .overwrite(ImportOptions.Overwrite.APPEND);
        ImportOptions review = ImportOptions.toPrearchive("LAB").ignoreUnparsable(true);
        // end
        assertThat(direct.destination()).isEqualTo(ImportOptions.Destination.ARCHIVE);
        assertThat(review.toString()).contains("dest=/prearchive/projects/LAB").contains("Ignore-Unparsable=true");
    }

    @Test
    void importerAndPrearchive() throws IOException {
        Path studyDir = tmp.resolve("study");
        dicomStudy(studyDir, "SUBJ01", "1.2.3.5", 3);
        // doc:importer
        ImportResult sent = xnat.importer()
                .directory(studyDir, ImportOptions.toPrearchive("LAB"))
                .block();
        PrearchiveSessionRef session =
                xnat.prearchive().session(sent.prearchived().get(0));
        String archived = session.waitFor(PrearchiveStatus.READY, Duration.ofMinutes(5))
                .then(session.archive())
                .block(); // /data/archive/projects/LAB/subjects/.../experiments/...
        // end
        assertThat(archived).isEqualTo("/data/archive/projects/LAB/subjects/SUBJ01/experiments/SUBJ01_MR1");
        dicomStudy(tmp.resolve("second"), "SUBJ01", "1.2.3.6", 2);
        xnat.importer()
                .directory(tmp.resolve("second"), ImportOptions.toPrearchive("LAB"))
                .block();
        // doc:prearchive
        List<PrearchiveSession> ready = xnat.prearchive()
                .sessions("LAB")
                .filter(s -> s.status() == PrearchiveStatus.READY)
                .collectList()
                .block();
        // end
        assertThat(ready).extracting(PrearchiveSession::studyInstanceUid).contains("1.2.3.6");
        // doc:prearchiveSessionRef
        PrearchiveSessionRef s =
                xnat.prearchive().session(xnat.prearchive().sessions("LAB").blockFirst());
        Path copy = s.download(dest).block(); // every file checked by size and MD5
        String uri = s.archive(ImportOptions.toArchive("LAB").subject("SUBJ01").session("SUBJ01_MR2"))
                .block();
        // end
        assertThat(copy.resolve("1/IM2.dcm")).exists();
        assertThat(uri).isEqualTo("/data/archive/projects/LAB/subjects/SUBJ01/experiments/SUBJ01_MR2");
    }

    @Test
    void ingest() throws IOException {
        Path incoming = tmp.resolve("incoming");
        dicomStudy(incoming.resolve("one"), "SUBJ02", "1.2.3.7", 2);
        dicomStudy(incoming.resolve("two"), "SUBJ03", "1.2.3.8", 3);
        // doc:ingest
        IngestReport report = BulkClient.of(xnat)
                .ingest(incoming, ImportOptions.toPrearchive("LAB"))
                .concurrency(4)
                .run()
                .block();
        long sent = report.filesImported(); // every other file is in report.rejected() or a failed study
        // end
        assertThat(sent).isEqualTo(5);
        assertThat(report.studies()).hasSize(2);
        for (IngestReport.Study s : report.studies()) {
            xnat.prearchive()
                    .session(s.uris().get(0))
                    .delete()
                    .block(); // LAB's prearchive as the other tests expect it
        }
    }

    // ------------------------------------------------------------------ core: search (issue 12)

    @Test
    void searchRows() {
        // doc:searchRows
        SearchQuery withT1 = SearchQuery.of("xnat:mrSessionData")
                .fields("LABEL", "xnat:subjectData/SUBJECT_LABEL")
                .where(Criteria.eq("PROJECT", "P1"), Criteria.eq("xnat:mrScanData/TYPE", "T1w"));
        List<String> labels = xnat.search()
                .rows(withT1)
                .map(row -> row.get("label") + " of " + row.get("xnat_subjectdata_subject_label"))
                .collectList()
                .block();
        // end
        assertThat(labels).containsExactlyInAnyOrder("P1_S001_MR1 of P1_S001", "P1_S001_MR2 of P1_S001");
    }

    // ------------------------------------------------------------------ access: users, alias tokens, sharing

    @Test
    void users() {
        // doc:users
        Users users = xnat.users();
        List<String> logins = users.list().map(XnatUser::login).collectList().block(); // administrators
        users.create(new NewUser("bob", "b0b-pw", "Bob", "Builder", "bob@example.org"))
                .block();
        users.setEnabled("bob", false).block(); // bob can no longer log in
        List<ProjectAccess> mine = users.accessibleProjects().collectList().block();
        // end
        assertThat(logins).contains("admin");
        assertThat(users.get("bob").block().enabled()).isFalse();
        assertThat(mine).extracting(ProjectAccess::id).contains("P1", "LAB");
    }

    @Test
    void aliasTokens() {
        // doc:aliasTokens
        AliasToken token = xnat.aliasTokens().issue().block();
        long projects;
        try (XnatClient service = XnatClient.builder()
                .serverUrl(xnat.serverUrl())
                .credentials(token.credentials()) // logs in as the token's user
                .build()) {
            projects = service.projects().count().block();
        }
        xnat.aliasTokens().invalidate(token.alias()).block(); // the token no longer logs in
        // end
        assertThat(projects).isGreaterThanOrEqualTo(2);
        assertThat(xnat.aliasTokens().validate(token.alias(), token.secret()).blockOptional())
                .isEmpty();
    }

    @Test
    void shareable() {
        // doc:shareable
        SubjectRef s = xnat.project("LAB").subject("S010");
        s.create().block();
        xnat.project("TEAM").create().block();
        s.share("TEAM", "TEAM_S010", false).block();
        List<String> inTeam = xnat.project("TEAM")
                .subjects()
                .map(Subject::label)
                .collectList()
                .block(); // [TEAM_S010]
        List<Share> shares = s.shares().collectList().block(); // LAB (primary), TEAM as TEAM_S010
        s.unshare("TEAM").block();
        // end
        assertThat(inTeam).containsExactly("TEAM_S010");
        assertThat(shares).containsExactly(new Share("LAB", "S010", true), new Share("TEAM", "TEAM_S010", false));
        assertThat(xnat.project("TEAM").subjects().collectList().block()).isEmpty();
    }

    @Test
    void testServerUserProfile() {
        // doc:testServerUserProfile
        XnatTestServer.Builder b = XnatTestServer.builder()
                .user("admin", "admin")
                .user("alice", "alicepw", "Alice", "Liddell", "alice@example.org");
        // end
        try (XnatTestServer started = b.start();
                XnatClient admin = admin(started)) {
            assertThat(admin.users().get("alice").block().email()).isEqualTo("alice@example.org");
        }
    }

    // ------------------------------------------------------------------ parity (issue 16): server information

    @Test
    void serverInfo() {
        // doc:serverInfo
        ServerInfo info = xnat.serverInfo();
        String commit = info.buildInfo().block().get("commit");
        Duration up = info.uptime().block();
        List<String> types = info.scanTypes().collectList().block(); // e.g. [T1w, T2w]
        // end
        assertThat(commit).isNotEmpty();
        assertThat(up).isGreaterThanOrEqualTo(Duration.ZERO);
        assertThat(types).contains("T1w", "T2w");
    }

    // ------------------------------------------------------------------ parity (issue 16): triggers on the testkit

    @Test
    void testServerTriggers() {
        XnatTestServer server = ApiExamplesTest.server.server();
        int before = server.triggers().size();
        // doc:testServerTriggers
        session.triggerPipelines().block();
        List<Trigger> arrived = server.triggers(); // one Trigger: triggerPipelines, the session's ID, project, login
        // end
        Trigger last = arrived.get(arrived.size() - 1);
        assertThat(arrived).hasSize(before + 1);
        assertThat(last.name()).isEqualTo("triggerPipelines");
        assertThat(last.experimentId()).isEqualTo(session.get().block().id());
        assertThat(last.project()).isEqualTo("P1");
        assertThat(last.user()).isEqualTo("admin");
    }

    // ------------------------------------------------------------------ metadata (issue 14): documents, custom
    // variables, parameters, provenance

    @Test
    void xnatDocument() {
        // doc:xnatDocument
        XnatDocument session = xnat.project("P1")
                .subject("P1_S001")
                .experiment("P1_S001_MR1")
                .document()
                .block();
        XnatDocument scan = session.scans().get(0);
        String type = scan.field("type").orElse(""); // the type attribute, e.g. T1w
        Map<String, String> extra = scan.parameters(); // parameters/addParam by name
        List<String> types = session.values("//xnat:scan/@type"); // XPath, with XNAT's prefixes bound
        // end
        assertThat(type).isNotEmpty();
        assertThat(extra).isEmpty();
        assertThat(types).hasSize(2).contains(type);
    }

    @Test
    void putDocument() {
        xnat.project("P2").create().block();
        // doc:putDocument
        XnatDocument source = xnat.project("P1")
                .subject("P1_S001")
                .experiment("P1_S001_MR1")
                .document()
                .block();
        String id = xnat.project("P2")
                .subject("S1")
                .experiment("MR1")
                .putDocument(source.copyFor("P2", "MR1"), false)
                .block(); // the new session's accession ID; its scans come with it
        // end
        assertThat(id).isNotEmpty();
        assertThat(xnat.project("P2")
                        .subject("S1")
                        .experiment("MR1")
                        .scans()
                        .collectList()
                        .block())
                .hasSize(2);
    }

    @Test
    void setProvenance() {
        // objects of their own, so that the examples that count P1's do not see them
        xnat.project("P4").create().block();
        ExperimentRef mr = xnat.project("P4").subject("S4").experiment("MR4");
        mr.create("xnat:mrSessionData", Map.of()).block();
        AssessorRef assessor = mr.assessor("QC9");
        assessor.create("xnat:qcManualAssessorData", Map.of()).block();
        // doc:setProvenance
        ProcessStep step = ProcessStep.of("freesurfer", "2024-03-06T10:00:00", "alice", "node7", "Linux");
        assessor.setProvenance(List.of(step), false).block();
        List<ProcessStep> steps = assessor.provenance().block();
        // end
        assertThat(steps).containsExactly(step);
    }

    @Test
    void defineCustomVariables() {
        ProjectRef project = xnat.project("P3"); // a project of its own (the examples that count P1's)
        project.create().block();
        // doc:defineCustomVariables
        project.defineCustomVariables("xnat:subjectData", "clinical", Map.of("bmi", "float"))
                .block();
        project.subject("P1_S001").setCustomFields(Map.of("bmi", "22.5")).block();
        // end
        assertThat(project.customVariables().block())
                .contains(new CustomVariable("xnat:subjectData", "clinical", "bmi", "float"));
        assertThat(project.subject("P1_S001").customFields().block()).containsEntry("bmi", "22.5");
    }
}

/** The first example of XnatTestServerExtension: a test class of its own, run by JUnit like any other. */
// doc:extensionParameter
@ExtendWith(XnatTestServerExtension.class)
class ProjectListingTest {
    @Test
    void aNewServerHasNoProjects(XnatTestServer server) {
        try (XnatClient xnat = XnatClient.builder()
                .serverUrl(server.baseUrl())
                .credentials(Credentials.password(server.adminUser(), server.adminPassword()))
                .build()) {
            assertEquals(List.of(), xnat.projects().collectList().block());
        }
    }
}
// end
