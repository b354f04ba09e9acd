package io.github.xnatreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DownloadSessionTest {
    @RegisterExtension
    static XnatTestServerExtension server = new XnatTestServerExtension(b -> b.seed(SeedSpec.parse("P1:1x2x2x3x16K")));

    @TempDir
    Path dest;

    XnatClient xnat;

    @BeforeEach
    void connect() {
        xnat = TestSupport.client(server.server());
    }

    @AfterEach
    void close() {
        xnat.close();
    }

    @Test
    void downloadsEveryFileOfOneSessionWithTheServersDigests() {
        TransferReport report = DownloadSession.download(xnat, "P1", "P1_S001", "P1_S001_MR1", dest);

        assertThat(report.succeeded()).isTrue();
        assertThat(report.files()).isEqualTo(6);
        assertThat(report.bytes()).isEqualTo(6 * 16 * 1024);
        Path sessionDir = dest.resolve("P1/P1_S001/P1_S001_MR1");
        assertThat(sessionDir.resolve("xnat-session.json")).isRegularFile();
        Map<String, String> server = TestSupport.serverDigests(xnat, "P1", "P1_S001", "P1_S001_MR1");
        assertThat(server).hasSize(6).doesNotContainValue("");
        assertThat(TestSupport.localDigests(sessionDir)).isEqualTo(server);
        assertThat(dest.resolve("P1/P1_S001/P1_S001_MR2")).doesNotExist();
    }

    @Test
    void aRerunMovesNothingAndRestoresADeletedFile() throws Exception {
        DownloadSession.download(xnat, "P1", "P1_S001", "P1_S001_MR2", dest);
        Path sessionDir = dest.resolve("P1/P1_S001/P1_S001_MR2");
        Path oneFile;
        try (var files = Files.walk(sessionDir.resolve("scans"))) {
            oneFile = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        Files.delete(oneFile);

        TransferReport again = DownloadSession.download(xnat, "P1", "P1_S001", "P1_S001_MR2", dest);

        assertThat(again.files()).isEqualTo(1);
        assertThat(again.skipped()).isEqualTo(5);
        assertThat(TestSupport.localDigests(sessionDir))
                .isEqualTo(TestSupport.serverDigests(xnat, "P1", "P1_S001", "P1_S001_MR2"));
    }
}
