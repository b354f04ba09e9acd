package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.client;
import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.ReconstructionRef;
import io.github.xnatreactive.core.UploadOptions;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one walk over a session's tree serves download, upload and mirror alike: reconstructions (with their plain,
 * in and out resources) come along everywhere; and planning has no side effects.
 */
class SessionTreeTest {
    @RegisterExtension
    static XnatTestServerExtension source =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("TREE:1x1x1x2x1K")));

    @RegisterExtension
    static XnatTestServerExtension dest = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    static XnatClient src;
    static XnatClient dst;
    static final String SUBJECT = "TREE_S001";
    static final String SESSION = "TREE_S001_MR1";

    @BeforeAll
    static void setUp(@TempDir Path tmp) throws Exception {
        src = client(source);
        dst = client(dest);
        ExperimentRef e = src.project("TREE").subject(SUBJECT).experiment(SESSION);
        ReconstructionRef r = e.reconstruction("RECON1");
        r.create("xnat:reconstructedImageData", Map.of("type", "T1_MPR")).block();
        Path a = Files.writeString(tmp.resolve("brain.nii"), "voxels of a reconstruction");
        Path b = Files.writeString(tmp.resolve("log.txt"), "how it was made");
        r.resource("NIFTI")
                .file("brain.nii")
                .upload(a, UploadOptions.defaults())
                .block();
        r.outResource("LOGS")
                .file("sub/log.txt")
                .upload(b, UploadOptions.defaults())
                .block();
    }

    @AfterAll
    static void close() {
        src.close();
        dst.close();
    }

    /** The reconstructions' files of a session: "{id}/{plain|out}/{resource}/{path}" -> "size digest". */
    static Map<String, String> reconstructionFiles(ExperimentRef e) {
        Map<String, String> out = new TreeMap<>();
        for (var rec : e.reconstructions().collectList().block()) {
            ReconstructionRef r = e.reconstruction(rec.id());
            for (var res : r.resources().collectList().block()) {
                for (FileEntry f : r.resource(res.label()).files().collectList().block()) {
                    out.put(rec.id() + "/plain/" + res.label() + "/" + f.path(), f.size() + " " + f.digest());
                }
            }
            for (var res : r.outResources().collectList().block()) {
                for (FileEntry f :
                        r.outResource(res.label()).files().collectList().block()) {
                    out.put(rec.id() + "/out/" + res.label() + "/" + f.path(), f.size() + " " + f.digest());
                }
            }
        }
        return out;
    }

    static ExperimentRef sourceSession() {
        return src.project("TREE").subject(SUBJECT).experiment(SESSION);
    }

    @Test
    void uploadOfADownloadedSessionBringsItsReconstructions(@TempDir Path tmp) {
        Map<String, String> want = reconstructionFiles(sourceSession());
        assertThat(want).hasSize(2);
        TransferReport down = BulkClient.of(src, fast())
                .download(sourceSession(), tmp, Selection.all())
                .run()
                .block();
        assertThat(down.succeeded()).isTrue();
        assertThat(down.files()).isEqualTo(4);

        dst.project("UPREC").create().block();
        TransferReport up = BulkClient.of(dst, fast())
                .upload(
                        tmp.resolve("TREE/" + SUBJECT + "/" + SESSION),
                        dst.project("UPREC"),
                        null,
                        null,
                        null,
                        Selection.all())
                .run()
                .block();
        assertThat(up.succeeded()).as(up.summary() + " " + up.failed()).isTrue();
        assertThat(up.files()).isEqualTo(4);
        assertThat(reconstructionFiles(dst.project("UPREC").subject(SUBJECT).experiment(SESSION)))
                .isEqualTo(want);
    }

    @Test
    void mirrorBringsReconstructions() {
        dst.project("MIRREC").create().block();
        TransferReport m = BulkClient.of(src, fast())
                .mirrorProject(src.project("TREE"), dst, "MIRREC", Selection.all())
                .run()
                .block();
        assertThat(m.succeeded()).as(m.summary() + " " + m.failed()).isTrue();
        assertThat(m.files()).isEqualTo(4);
        assertThat(reconstructionFiles(dst.project("MIRREC").subject(SUBJECT).experiment(SESSION)))
                .isEqualTo(reconstructionFiles(sourceSession()));
    }

    @Test
    void reconstructionsCanBeLeftOut() {
        dst.project("MIRNOREC").create().block();
        TransferReport m = BulkClient.of(src, fast())
                .mirrorProject(
                        src.project("TREE"), dst, "MIRNOREC", Selection.all().reconstructions(false))
                .run()
                .block();
        assertThat(m.files()).isEqualTo(2);
        assertThat(dst.project("MIRNOREC")
                        .subject(SUBJECT)
                        .experiment(SESSION)
                        .reconstructions()
                        .collectList()
                        .block())
                .isEmpty();
    }

    @Test
    void dryRunsOfAMirrorAndADownloadCreateAndWriteNothing(@TempDir Path tmp) throws Exception {
        dst.project("DRY").create().block();
        TransferPlan plan = BulkClient.of(src, fast())
                .mirrorProject(src.project("TREE"), dst, "DRY", Selection.all())
                .plan()
                .block();
        assertThat(plan.toTransfer()).hasSize(4);
        assertThat(plan.toTransfer()).anyMatch(i -> i.target().contains("/reconstructions/RECON1/out/resources/LOGS"));
        assertThat(dst.project("DRY").subjects().collectList().block()).isEmpty();
        assertThat(dst.project("DRY").experiments().collectList().block()).isEmpty();

        TransferPlan local = BulkClient.of(src, fast())
                .download(sourceSession(), tmp, Selection.all())
                .plan()
                .block();
        assertThat(local.toTransfer()).hasSize(4);
        assertThat(BulkTesting.localFiles(tmp))
                .as("not even the session's metadata file")
                .isEmpty();
    }
}
