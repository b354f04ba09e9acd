package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The small pyxnat parity calls (issue 16) over real HTTP against the testkit. */
class ParityTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x1x2x3x4K")));

    static XnatClient c;

    @TempDir
    Path tmp;

    @BeforeAll
    static void connect() {
        c = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build();
    }

    @AfterAll
    static void close() {
        c.close();
    }

    /** Where the testkit keeps a listed file's bytes: its catalog's folder under the data directory. */
    static Path onDisk(FileEntry e) {
        return xnat.server()
                .dataDir()
                .resolve("archive")
                .resolve(e.column("cat_ID"))
                .resolve(e.path());
    }

    // ------------------------------------------------------------------ FileRef.lastModified

    @Test
    void lastModifiedIsTheFilesTimeFromOneHead() throws Exception {
        Path src = Files.writeString(tmp.resolve("lm.txt"), "when?", StandardCharsets.UTF_8);
        FileRef f = c.project("DEMO").resource("LM").file("lm.txt");
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        f.upload(src, UploadOptions.defaults()).block();
        Instant after = Instant.now();

        Instant lm = f.lastModified().block();

        assertThat(lm).isNotNull().isBetween(before, after);
    }

    @Test
    void lastModifiedOfAMissingFileIsNotFound() {
        FileRef f = c.project("DEMO").resource("LM").file("no-such-file.txt");
        assertThatThrownBy(() -> f.lastModified().block()).isInstanceOf(XnatNotFoundException.class);
    }

    // ------------------------------------------------------------------ experiment status

    @Test
    void experimentStatusQuarantineAndActivate() {
        ExperimentRef e = c.project("DEMO").subject("DEMO_S001").experiment("STATUS_MR");
        e.create("xnat:mrSessionData", Map.of()).block();
        assertThat(e.status().block()).isEqualTo("active");

        e.quarantine().block();
        assertThat(e.status().block()).isEqualTo("quarantine");
        // the same experiment reached by accession ID sees the same status
        String id = e.get().block().id();
        assertThat(c.experiment(id).status().block()).isEqualTo("quarantine");

        e.activate().block();
        assertThat(e.status().block()).isEqualTo("active");
    }

    @Test
    void statusOfAMissingExperimentIsNotFound() {
        ExperimentRef e = c.project("DEMO").subject("DEMO_S001").experiment("NO_SUCH_MR");
        assertThatThrownBy(() -> e.status().block()).isInstanceOf(XnatNotFoundException.class);
    }

    // ------------------------------------------------------------------ server information

    @Test
    void buildInfoHasEveryEntryAndUptimeIsTheServers() {
        ServerInfo info = c.serverInfo();
        Map<String, String> build = info.buildInfo().block();
        assertThat(build).containsKeys("version", "buildNumber", "buildDate", "sha", "commit", "tag", "branch");
        assertThat(build.get("version")).isEqualTo(c.version().block());

        assertThat(info.uptime().block()).isBetween(java.time.Duration.ZERO, java.time.Duration.ofHours(1));
    }

    @Test
    void pluginsAreKeyedByTheirId() {
        Map<String, tools.jackson.databind.JsonNode> plugins =
                c.serverInfo().plugins().block();
        assertThat(plugins).isNotEmpty();
        plugins.forEach((id, bean) -> assertThat(bean.path("id").asString()).isEqualTo(id));
    }

    @Test
    void scannersAndScanTypesComeFromTheSessions() {
        ServerInfo info = c.serverInfo();
        ExperimentRef pet = c.project("DEMO").subject("DEMO_S001").experiment("SCANNERS_PET");
        pet.create("xnat:petSessionData", Map.of("scanner", "PET-1")).block();
        pet.scan("1").create("xnat:petScanData", Map.of("type", "FDG")).block();

        assertThat(info.scanners().collectList().block()).containsExactly("SyntheticScanner");
        assertThat(info.scanners("xnat:petSessionData").collectList().block()).containsExactly("PET-1");
        // the seed gives its MR session scans T1w and T2w
        assertThat(info.scanTypes().collectList().block()).containsExactly("T1w", "T2w");
        assertThat(info.scanTypes("xnat:petScanData").collectList().block()).containsExactly("FDG");
        // XNAT refuses a table it does not list
        assertThatThrownBy(
                        () -> info.scanTypes("xnat:fooScanData").collectList().block())
                .isInstanceOf(XnatForbiddenException.class);
    }

    // ------------------------------------------------------------------ pyxnat's config file

    @Test
    void savedPyxnatConfigReadsBackWithTildeExpanded() throws Exception {
        XnatClient.builder()
                .environment(Map.of(), tmp)
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .savePyxnatConfig(Path.of("~/conf/.xnat.cfg"));

        Path written = tmp.resolve("conf/.xnat.cfg");
        tools.jackson.databind.JsonNode json =
                new tools.jackson.databind.ObjectMapper().readTree(Files.readString(written));
        assertThat(json.path("server").asString()).isEqualTo(xnat.server().baseUrl());
        assertThat(json.path("user").asString()).isEqualTo("admin");
        assertThat(json.path("password").asString()).isEqualTo("admin");
        assertThat(json.has("proxy")).isFalse();
        if (Files.getFileStore(written).supportsFileAttributeView("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(written)))
                    .isEqualTo("rw-------");
        }
        try (Stream<Path> left = Files.list(written.getParent())) {
            assertThat(left).containsExactly(written); // no temporary file left beside it
        }

        try (XnatClient fromFile = XnatClient.builder()
                .environment(Map.of(), tmp)
                .pyxnatConfig(Path.of("~/conf/.xnat.cfg"))
                .build()) {
            assertThat(fromFile.project("DEMO").exists().block()).isTrue();
        }
    }

    @Test
    void savingWithoutAPasswordIsRefusedAndWritesNothing() {
        XnatClient.Builder b = XnatClient.builder()
                .environment(Map.of(), tmp)
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.anonymous());
        assertThatThrownBy(() -> b.savePyxnatConfig(Path.of("~/.xnat.cfg"))).isInstanceOf(IllegalStateException.class);
        assertThat(tmp.resolve(".xnat.cfg")).doesNotExist();
    }

    @Test
    void proxyKeySendsEveryRequestThroughTheProxy() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ServerSocket proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> acceptTunnels(proxy, seen), "test-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
            Path cfg = Files.writeString(
                    tmp.resolve("proxied.cfg"),
                    "{\"server\": \"" + xnat.server().baseUrl() + "\", \"user\": \"admin\", \"password\": \"admin\","
                            + " \"proxy\": \"http://puser:p%40ss@127.0.0.1:" + proxy.getLocalPort() + "\"}");
            try (XnatClient proxied = XnatClient.builder().pyxnatConfig(cfg).build()) {
                assertThat(proxied.project("DEMO").exists().block()).isTrue();
            }
        }
        String basic = "Basic " + Base64.getEncoder().encodeToString("puser:p@ss".getBytes(StandardCharsets.UTF_8));
        String target = java.net.URI.create(xnat.server().baseUrl()).getAuthority();
        assertThat(seen).isNotEmpty().allSatisfy(line -> assertThat(line)
                .isEqualTo("CONNECT " + target + " proxy-authorization: " + basic));
    }

    /** A CONNECT proxy: records each tunnel's target and credentials, then copies bytes both ways. */
    private static void acceptTunnels(ServerSocket proxy, List<String> seen) {
        while (!proxy.isClosed()) {
            try {
                Socket client = proxy.accept();
                Thread t = new Thread(() -> tunnel(client, seen), "test-proxy-tunnel");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void tunnel(Socket client, List<String> seen) {
        try (client) {
            InputStream in = client.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                head.append((char) b);
            }
            String[] lines = head.toString().split("\r\n");
            String authority = lines[0].split(" ")[1];
            String auth = "";
            for (String l : lines) {
                if (l.toLowerCase(java.util.Locale.ROOT).startsWith("proxy-authorization:")) {
                    auth = l.substring(l.indexOf(':') + 1).strip();
                }
            }
            seen.add(lines[0].split(" ")[0] + " " + authority + " proxy-authorization: " + auth);
            int colon = authority.lastIndexOf(':');
            try (Socket upstream =
                    new Socket(authority.substring(0, colon), Integer.parseInt(authority.substring(colon + 1)))) {
                OutputStream out = client.getOutputStream();
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread back = new Thread(() -> copy(upstream, client), "test-proxy-back");
                back.setDaemon(true);
                back.start();
                copy(client, upstream);
                back.join();
            }
        } catch (IOException | InterruptedException e) {
            // the client closed the tunnel
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    // ------------------------------------------------------------------ create parents, delete keeping files

    @Test
    void scanCreateMakesTheMissingProjectAndSession() {
        ScanRef scan = c.project("PARENTS").subject("PS1").experiment("PS1_CT1").scan("1");
        assertThat(c.project("PARENTS").exists().block()).isFalse();

        assertThat(scan.create("xnat:ctScanData", Map.of("type", "HEAD"), true).block())
                .isEqualTo("1");

        assertThat(c.project("PARENTS").exists().block()).isTrue();
        assertThat(scan.experiment().get().block().xsiType()).isEqualTo("xnat:ctSessionData");
        Scan got = scan.get().block();
        assertThat(got.type()).isEqualTo("HEAD");
        assertThat(got.xsiType()).isEqualTo("xnat:ctScanData");
        // a second call finds the parents and only updates the scan
        scan.create("xnat:ctScanData", Map.of("type", "HEAD2"), true).block();
        assertThat(scan.get().block().type()).isEqualTo("HEAD2");
    }

    @Test
    void scanCreateWithoutParentsFailsWhenTheSessionIsMissing() {
        ScanRef scan =
                c.project("DEMO").subject("DEMO_S001").experiment("NO_SESSION").scan("1");
        assertThatThrownBy(() -> scan.create("xnat:mrScanData", Map.of(), false).block())
                .isInstanceOf(XnatHttpException.class);
        assertThat(scan.experiment().exists().block()).isFalse();
    }

    @Test
    void fileDeleteCanKeepTheBytesOnTheServersDisk() throws Exception {
        ResourceRef r = c.project("DEMO").resource("KEEP");
        Path src = Files.writeString(tmp.resolve("k.txt"), "keep me", StandardCharsets.UTF_8);
        r.file("k.txt").upload(src, UploadOptions.defaults()).block();
        r.file("gone.txt").upload(src, UploadOptions.defaults()).block();
        Path kept = onDisk(r.file("k.txt").entry().block());
        Path removed = onDisk(r.file("gone.txt").entry().block());
        assertThat(kept).exists();
        assertThat(removed).exists();

        r.file("k.txt").delete(false).block();
        r.file("gone.txt").delete(true).block();

        assertThat(r.files().map(FileEntry::path).collectList().block()).doesNotContain("k.txt", "gone.txt");
        assertThat(kept).hasContent("keep me");
        assertThat(removed).doesNotExist();
    }

    // ------------------------------------------------------------------ keep-the-zip downloads

    static ExperimentRef demoSession() {
        return c.project("DEMO").subject("DEMO_S001").experiment("DEMO_S001_MR1");
    }

    static Map<String, Long> zipEntries(Path zip) throws IOException {
        Map<String, Long> out = new java.util.TreeMap<>();
        try (java.util.zip.ZipFile zf = new java.util.zip.ZipFile(zip.toFile())) {
            zf.stream().filter(e -> !e.isDirectory()).forEach(e -> out.put(e.getName(), e.getSize()));
        }
        return out;
    }

    @Test
    void resourceZipIsKeptWholeAndMatchesTheListing() throws Exception {
        ResourceRef dicom = demoSession().scan("1").resource("DICOM");
        List<FileEntry> listed = dicom.files().collectList().block();
        Path target = tmp.resolve("zips/dicom.zip");

        assertThat(dicom.downloadZip(target).block()).isEqualTo(target.toAbsolutePath());

        Map<String, Long> entries = zipEntries(target);
        assertThat(entries).hasSize(listed.size());
        for (FileEntry f : listed) {
            assertThat(entries).anySatisfy((name, size) -> {
                assertThat(name).endsWith("/files/" + f.path());
                assertThat(size).isEqualTo(f.size());
            });
        }
        try (Stream<Path> left = Files.list(target.getParent())) {
            assertThat(left).containsExactly(target); // the zip only: no temporary file, nothing extracted
        }
    }

    @Test
    void sessionAndScanZipsHoldTheirFiles() throws Exception {
        ExperimentRef mr = demoSession();
        Path session = mr.downloadZip(tmp.resolve("session.zip")).block();
        assertThat(zipEntries(session)).hasSize(mr.files().count().block().intValue());

        Path t1 = mr.downloadScansZip(tmp.resolve("t1.zip"), "1").block();
        Map<String, Long> scanEntries = zipEntries(t1);
        assertThat(scanEntries).isNotEmpty().allSatisfy((name, size) -> assertThat(name)
                .contains("/scans/1-"));
        assertThat(scanEntries)
                .hasSize(mr.scan("1").resource("DICOM").files().count().block().intValue());
    }

    @Test
    void aDamagedOrIncompleteZipLeavesNothingAtTheTarget() throws Exception {
        ResourceRef dicom = demoSession().scan("2").resource("DICOM");
        try (XnatClient once = XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .retryPolicy(RetryPolicy.none())
                .build()) {
            ResourceRef r =
                    once.experiment(demoSession().get().block().id()).scan("2").resource("DICOM");
            for (String fault : List.of("archive-corrupt=1", "archive-omit=1")) {
                Path target = tmp.resolve(fault.replace('=', '_') + ".zip");
                xnat.server().faults(FaultSpec.parse(fault));
                try {
                    assertThatThrownBy(() -> r.downloadZip(target).block())
                            .as(fault)
                            .isInstanceOf(XnatIntegrityException.class);
                } finally {
                    xnat.server().faults(FaultSpec.none());
                }
                assertThat(target).as(fault).doesNotExist();
            }
            Path cut = tmp.resolve("cut.zip");
            xnat.server().faults(FaultSpec.parse("archive-drop=1,archive-drop-after=100"));
            try {
                assertThatThrownBy(() -> r.downloadZip(cut).block()).isInstanceOf(XnatException.class);
            } finally {
                xnat.server().faults(FaultSpec.none());
            }
            assertThat(cut).doesNotExist();
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left)
                    .as("no temporary file left")
                    .noneMatch(p -> p.getFileName().toString().contains("part"));
        }
        assertThat(dicom.downloadZip(tmp.resolve("ok.zip")).block()).exists(); // the same resource, unharmed
    }
}
