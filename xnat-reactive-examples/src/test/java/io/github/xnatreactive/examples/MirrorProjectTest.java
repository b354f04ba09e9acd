package io.github.xnatreactive.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.bulk.TransferReport;
import io.github.xnatreactive.core.Experiment;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MirrorProjectTest {
    @RegisterExtension
    static XnatTestServerExtension source = new XnatTestServerExtension(b -> b.seed(SeedSpec.parse("P1:2x1x2x2x8K")));

    @RegisterExtension
    static XnatTestServerExtension destination = new XnatTestServerExtension(b -> b.user("admin", "other-secret"));

    XnatClient from;
    XnatClient to;

    @BeforeEach
    void connect() {
        from = TestSupport.client(source.server());
        to = TestSupport.client(destination.server());
    }

    @AfterEach
    void close() {
        from.close();
        to.close();
    }

    @Test
    void copiesEverySessionAndFileIntoANewProjectOnTheOtherServer() {
        TransferReport report = MirrorProject.mirror(from, "P1", to, "COPY");

        assertThat(report.succeeded()).isTrue();
        assertThat(report.files()).isEqualTo(8);
        assertThat(to.project("COPY")
                        .experiments()
                        .map(Experiment::label)
                        .collectList()
                        .block())
                .containsExactlyInAnyOrder("P1_S001_MR1", "P1_S002_MR1");
        for (String subject : new String[] {"P1_S001", "P1_S002"}) {
            String session = subject + "_MR1";
            assertThat(TestSupport.serverDigests(to, "COPY", subject, session))
                    .hasSize(4)
                    .isEqualTo(TestSupport.serverDigests(from, "P1", subject, session));
        }

        TransferReport again = MirrorProject.mirror(from, "P1", to, "COPY");
        assertThat(again.files()).isZero();
        assertThat(again.skipped()).isEqualTo(8);
    }
}
