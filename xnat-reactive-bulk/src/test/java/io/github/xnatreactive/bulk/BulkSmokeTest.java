package io.github.xnatreactive.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class BulkSmokeTest {
    @RegisterExtension
    static XnatTestServerExtension source =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:2x2x3x5x8K")));

    @RegisterExtension
    static XnatTestServerExtension dest = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    static XnatClient client(XnatTestServerExtension x) {
        return XnatClient.builder()
                .serverUrl(x.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .build();
    }

    static long countFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".dcm"))
                    .count();
        }
    }

    @Test
    void downloadResumeUploadMirror(@TempDir Path tmp) throws Exception {
        try (XnatClient src = client(source);
                XnatClient dst = client(dest)) {
            BulkClient bulk = BulkClient.of(src);
            TransferReport r = bulk.downloadProject(src.project("DEMO"), tmp, Selection.all())
                    .run()
                    .block();
            assertThat(r.succeeded()).as(r.summary() + " " + r.failed()).isTrue();
            assertThat(r.files()).isEqualTo(2 * 2 * 3 * 5);
            assertThat(countFiles(tmp)).isEqualTo(60);

            TransferReport again = bulk.downloadProject(src.project("DEMO"), tmp, Selection.all())
                    .run()
                    .block();
            assertThat(again.files()).isZero();
            assertThat(again.skipped()).isEqualTo(60);

            Path session = tmp.resolve("DEMO/DEMO_S001/DEMO_S001_MR1");
            assertThat(session.resolve("xnat-session.json")).exists();
            dst.project("COPY").create().block();
            TransferReport up = BulkClient.of(dst)
                    .upload(session, dst.project("COPY"), null, null, null, Selection.all())
                    .run()
                    .block();
            assertThat(up.succeeded()).as(up.summary() + " " + up.failed()).isTrue();
            assertThat(up.files()).isEqualTo(15);
            List<FileEntry> copied = dst.project("COPY")
                    .subject("DEMO_S001")
                    .experiment("DEMO_S001_MR1")
                    .scan("2")
                    .resource("DICOM")
                    .files()
                    .collectList()
                    .block();
            assertThat(copied).hasSize(5);
            TransferReport upAgain = BulkClient.of(dst)
                    .upload(session, dst.project("COPY"), null, null, null, Selection.all())
                    .run()
                    .block();
            assertThat(upAgain.skipped()).isEqualTo(15);

            dst.project("MIRROR").create().block();
            TransferReport m = bulk.mirrorProject(src.project("DEMO"), dst, "MIRROR", Selection.all())
                    .run()
                    .block();
            assertThat(m.succeeded()).as(m.summary() + " " + m.failed()).isTrue();
            assertThat(m.files()).isEqualTo(60);
            assertThat(dst.project("MIRROR").experiments().count().block()).isEqualTo(4);
        }
    }
}
