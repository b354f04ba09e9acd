package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.client;
import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A plan streams: files move before the listing is complete, and the engine never holds the whole job. */
class StreamingPlanTest {
    /** 50 sessions x 4 scans x 100 files: 20,000 files in 200 resources. */
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("BIG:10x5x4x100x256")));

    static XnatClient c;

    @BeforeAll
    static void connect() {
        c = client(xnat);
    }

    @AfterAll
    static void close() {
        c.close();
    }

    @Test
    void filesMoveBeforeTheListingIsCompleteAndTheEngineHoldsAFractionOfTheJob(@TempDir Path dest) {
        List<TransferEvent> events = Collections.synchronizedList(new ArrayList<>());
        Transfer t = BulkClient.of(c, fast()).downloadProject(c.project("BIG"), dest, Selection.all());
        t.events().doOnNext(events::add).blockLast();

        TransferReport r = ((TransferEvent.Finished) events.get(events.size() - 1)).report();
        assertThat(r.succeeded()).as(r.summary()).isTrue();
        assertThat(r.files()).isEqualTo(20_000);

        int firstListed = indexOf(events, TransferEvent.Listed.class);
        int firstStarted = indexOf(events, TransferEvent.Started.class);
        int planned = indexOf(events, TransferEvent.Planned.class);
        assertThat(firstListed).isLessThan(firstStarted);
        assertThat(firstStarted)
                .as("the first file starts before the listing completes")
                .isLessThan(planned);
        long completedBeforeTotals = events.subList(0, planned).stream()
                .filter(e -> e instanceof TransferEvent.Completed)
                .count();
        assertThat(completedBeforeTotals)
                .as("most of the job moved before its totals were known")
                .isPositive();
        assertThat(((TransferEvent.Planned) events.get(planned)).files()).isEqualTo(20_000);

        // groups are released when they finish: the engine held a bounded window of the job, never all of it
        assertThat(t.engine().peakLiveWorks()).isPositive().isLessThanOrEqualTo(5_000);
    }

    static int indexOf(List<TransferEvent> events, Class<? extends TransferEvent> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " event");
    }
}
