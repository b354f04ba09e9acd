package io.github.xnatreactive.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ClientSmokeTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x1x2x3x4K")));

    XnatClient client() {
        return XnatClient.builder()
                .serverUrl(xnat.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build();
    }

    @Test
    void walksTheArchiveAndDownloadsVerifiedFiles(@TempDir Path dir) throws Exception {
        try (XnatClient c = client()) {
            List<Project> projects = c.projects().collectList().block();
            assertThat(projects).extracting(Project::id).containsExactly("DEMO");
            ExperimentRef mr = c.project("DEMO").subject("DEMO_S001").experiment("DEMO_S001_MR1");
            assertThat(mr.scans().map(Scan::type).collectList().block()).containsExactly("T1w", "T2w");
            List<FileEntry> files =
                    mr.scan("1").resource("DICOM").files().collectList().block();
            assertThat(files).hasSize(3);
            FileEntry f = files.get(0);
            Path out = mr.scan("1")
                    .resource("DICOM")
                    .file(f.path())
                    .download(dir.resolve("a/" + f.name()))
                    .block();
            assertThat(Files.size(out)).isEqualTo(4096);
            assertThat(c.select("/projects/DEMO/subjects/*/experiments/*/scans")
                            .collectList()
                            .block())
                    .hasSize(2);
            List<Path> extracted = mr.downloadScans(dir.resolve("zip")).block();
            assertThat(extracted).hasSize(6);
            assertThat(c.version().block()).isNotEmpty();
            String id = c.project("NEW")
                    .subject("S1")
                    .experiment("E1")
                    .create("xnat:mrSessionData", Map.of(), true)
                    .block();
            assertThat(id).startsWith("XNAT_E");
            assertThat(c.project("NEW").subject("S1").exists().block()).isTrue();
            assertThat(c.project("NOPE").exists().block()).isFalse();
        }
    }
}
