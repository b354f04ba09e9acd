package io.github.xnatreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.Scan;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class UploadDirectoryTest {
    @RegisterExtension
    static XnatTestServerExtension source = new XnatTestServerExtension(b -> b.seed(SeedSpec.parse("P1:1x1x2x3x8K")));

    @RegisterExtension
    static XnatTestServerExtension target = new XnatTestServerExtension();

    @TempDir
    Path tmp;

    XnatClient from;
    XnatClient to;
    Path sessionDir;

    @BeforeEach
    void downloadASessionFolder() {
        from = TestSupport.client(source.server());
        to = TestSupport.client(target.server());
        DownloadSession.download(from, "P1", "P1_S001", "P1_S001_MR1", tmp);
        sessionDir = tmp.resolve("P1/P1_S001/P1_S001_MR1");
    }

    @AfterEach
    void close() {
        from.close();
        to.close();
    }

    @Test
    void createsTheSessionAndItsScansAndSendsEveryFile() {
        to.project("UP").create().block();

        TransferReport report = UploadDirectory.upload(to, sessionDir, "UP", null, null);

        assertThat(report.succeeded()).isTrue();
        assertThat(report.files()).isEqualTo(6);
        var session = to.project("UP").subject("P1_S001").experiment("P1_S001_MR1");
        assertThat(session.get().block().xsiType()).isEqualTo("xnat:mrSessionData");
        assertThat(session.scans().map(Scan::type).collectList().block()).containsExactlyInAnyOrder("T1w", "T2w");
        assertThat(TestSupport.serverDigests(to, "UP", "P1_S001", "P1_S001_MR1"))
                .hasSize(6)
                .isEqualTo(TestSupport.localDigests(sessionDir));
    }

    @Test
    void takesNewLabelsFromTheArguments() {
        to.project("RELABEL").create().block();

        TransferReport report = UploadDirectory.upload(to, sessionDir, "RELABEL", "SUBJ_9", "SUBJ_9_MR1");

        assertThat(report.files()).isEqualTo(6);
        assertThat(TestSupport.serverDigests(to, "RELABEL", "SUBJ_9", "SUBJ_9_MR1"))
                .isEqualTo(TestSupport.localDigests(sessionDir));
        assertThat(to.project("RELABEL").subject("P1_S001").exists().block()).isFalse();
        assertThat(UploadDirectory.upload(to, sessionDir, "RELABEL", "SUBJ_9", "SUBJ_9_MR1")
                        .skipped())
                .as("a second upload is a sync that sends nothing")
                .isEqualTo(6);
    }
}
