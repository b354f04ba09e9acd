package io.github.xnatreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatNotFoundException;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ListProjectTest {
    @RegisterExtension
    static XnatTestServerExtension server = new XnatTestServerExtension(
            b -> b.seed(SeedSpec.parse("P1:2x2x3x1x1K")).seed(SeedSpec.parse("P2:1x1x1x1x1K")));

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
    void listsEverySubjectWithItsSessionsAndScanCounts() {
        xnat.project("P1").subject("P1_S003").create().block(); // a subject with no session yet
        xnat.project("P1")
                .subject("P1_S001")
                .experiment("P1_S001_MR2")
                .scan("4")
                .create("xnat:mrScanData", java.util.Map.of("type", "T1w"))
                .block();

        List<ListProject.Row> rows = ListProject.rows(xnat, "P1").collectList().block();

        assertThat(rows)
                .extracting(ListProject.Row::subject, ListProject.Row::session, ListProject.Row::scans)
                .containsExactly(
                        tuple("P1_S001", "P1_S001_MR1", 3L),
                        tuple("P1_S001", "P1_S001_MR2", 4L),
                        tuple("P1_S002", "P1_S002_MR1", 3L),
                        tuple("P1_S002", "P1_S002_MR2", 3L),
                        tuple("P1_S003", "-", 0L));
        assertThat(rows.get(0).xsiType()).isEqualTo("xnat:mrSessionData");

        String table = ListProject.table(rows);
        assertThat(table.lines()).hasSize(6);
        assertThat(table.lines().findFirst().orElseThrow())
                .startsWith("SUBJECT")
                .endsWith("SCANS");
        assertThat(table).contains("P1_S001_MR2").doesNotContain("P2_S001");
    }

    @Test
    void aMissingProjectIsAnError() {
        assertThatThrownBy(() -> ListProject.rows(xnat, "NO_SUCH_PROJECT").blockLast())
                .isInstanceOf(XnatNotFoundException.class);
    }
}
