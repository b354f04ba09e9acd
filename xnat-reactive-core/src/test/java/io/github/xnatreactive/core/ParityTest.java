package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
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
}
