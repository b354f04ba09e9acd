package io.github.xnatreactive.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.Experiment;
import io.github.xnatreactive.core.ExperimentRef;
import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.ListOptions;
import io.github.xnatreactive.core.ProjectRef;
import io.github.xnatreactive.core.ResourceRef;
import io.github.xnatreactive.core.RetryPolicy;
import io.github.xnatreactive.core.Subject;
import io.github.xnatreactive.core.SubjectRef;
import io.github.xnatreactive.core.UploadOptions;
import io.github.xnatreactive.core.UploadResult;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatNotFoundException;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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
                .retryPolicy(RetryPolicy.defaults().withMaxAttempts(5))
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
}
