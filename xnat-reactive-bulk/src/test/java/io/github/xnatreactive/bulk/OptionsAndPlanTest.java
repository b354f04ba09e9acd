package io.github.xnatreactive.bulk;

import static io.github.xnatreactive.bulk.BulkTesting.client;
import static io.github.xnatreactive.bulk.BulkTesting.fast;
import static io.github.xnatreactive.bulk.BulkTesting.localFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.core.UploadOptions;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Selections, dry runs, the order of events and the concurrency cap. */
class OptionsAndPlanTest {
    @RegisterExtension
    static XnatTestServerExtension xnat =
            new XnatTestServerExtension(b -> b.user("admin", "admin").seed(SeedSpec.parse("DEMO:1x1x4x3x4K")));

    static XnatClient c;
    static final String SESSION = "DEMO/DEMO_S001/DEMO_S001_MR1/";

    @BeforeAll
    static void setUp(@TempDir Path tmp) throws Exception {
        c = client(xnat);
        // a session resource besides the scans (T1w, T2w, FLAIR, DWI; 3 DICOM files each)
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "session notes");
        c.project("DEMO")
                .subject("DEMO_S001")
                .experiment("DEMO_S001_MR1")
                .resource("NOTES")
                .file("notes.txt")
                .upload(notes, UploadOptions.defaults())
                .block();
    }

    @AfterAll
    static void close() {
        c.close();
    }

    static Transfer download(Path dest, Selection sel) {
        return BulkClient.of(c, fast()).downloadProject(c.project("DEMO"), dest, sel);
    }

    /** The local paths, relative to {@code dest} and to the session folder, that a plan would write. */
    static Set<String> planned(Path dest, Selection sel) {
        TransferPlan plan = download(dest, sel).plan().block();
        String prefix = dest.toAbsolutePath().normalize() + "/" + SESSION;
        return plan.toTransfer().stream()
                .map(i -> {
                    assertThat(i.target()).startsWith(prefix);
                    return i.target().substring(prefix.length());
                })
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> scanFiles(String scanDir) {
        Set<String> out = new TreeSet<>();
        int scan = Integer.parseInt(scanDir.substring(0, 1));
        for (int f = 1; f <= 3; f++) {
            out.add("scans/" + scanDir + "/resources/DICOM/files/DEMO_S001_MR1." + scan + "." + f + ".dcm");
        }
        return out;
    }

    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        Set<String> out = new TreeSet<>();
        for (Set<String> s : sets) {
            out.addAll(s);
        }
        return out;
    }

    static final String NOTES = "resources/NOTES/files/notes.txt";

    @Test
    void selectionsChooseTheFiles(@TempDir Path tmp) throws Exception {
        Path dest = tmp.resolve("never-written");
        Set<String> all =
                union(scanFiles("1-T1w"), scanFiles("2-T2w"), scanFiles("3-FLAIR"), scanFiles("4-DWI"), Set.of(NOTES));
        assertThat(planned(dest, Selection.all())).isEqualTo(all);
        assertThat(planned(dest, Selection.all().scanTypes("t1w", "FLAIR")))
                .isEqualTo(union(scanFiles("1-T1w"), scanFiles("3-FLAIR"), Set.of(NOTES)));
        assertThat(planned(dest, Selection.all().scanIds("2"))).isEqualTo(union(scanFiles("2-T2w"), Set.of(NOTES)));
        assertThat(planned(dest, Selection.all().scanIds("4").scanTypes("T1w")))
                .as("either a type or an ID matches")
                .isEqualTo(union(scanFiles("1-T1w"), scanFiles("4-DWI"), Set.of(NOTES)));
        assertThat(planned(dest, Selection.all().resources("dicom")))
                .isEqualTo(union(scanFiles("1-T1w"), scanFiles("2-T2w"), scanFiles("3-FLAIR"), scanFiles("4-DWI")));
        assertThat(planned(dest, Selection.all().resources("NOTES"))).isEqualTo(Set.of(NOTES));
        assertThat(planned(dest, Selection.all().resources("NONE"))).isEmpty();
        assertThat(planned(dest, Selection.all().scansOnly()))
                .isEqualTo(union(scanFiles("1-T1w"), scanFiles("2-T2w"), scanFiles("3-FLAIR"), scanFiles("4-DWI")));
        assertThat(planned(dest, Selection.all().scansOnly().scanTypes("DWI"))).isEqualTo(scanFiles("4-DWI"));
        assertThat(dest).as("a dry run writes nothing").doesNotExist();

        // a real download with a selection writes exactly what its plan listed
        TransferReport r = download(dest, Selection.all().scanTypes("T2w").sessionResources(false))
                .run()
                .block();
        assertThat(r.succeeded()).isTrue();
        assertThat(r.files()).isEqualTo(3);
        Set<String> written = new TreeSet<>(localFiles(dest.resolve(SESSION)));
        written.remove("xnat-session.json");
        assertThat(written).isEqualTo(scanFiles("2-T2w"));
    }

    @Test
    void dryRunOfADownloadListsWhatWouldMoveAndWhatIsInPlace(@TempDir Path dest) throws Exception {
        download(dest, Selection.all().scanIds("1").sessionResources(false))
                .run()
                .block();
        TreeSet<String> before = localFiles(dest);
        assertThat(before).hasSize(3 + 1);

        TransferPlan plan = download(dest, Selection.all()).plan().block();
        assertThat(plan.upToDate())
                .extracting(i -> Path.of(i.target()).getFileName().toString())
                .containsExactlyInAnyOrder("DEMO_S001_MR1.1.1.dcm", "DEMO_S001_MR1.1.2.dcm", "DEMO_S001_MR1.1.3.dcm");
        assertThat(plan.toTransfer()).hasSize(4 * 3 + 1 - 3);
        assertThat(plan.bytesToTransfer()).isEqualTo(9L * 4096 + "session notes".length());
        assertThat(plan.summary()).contains("10 files").contains("3 already in place");
        assertThat(localFiles(dest)).as("a dry run writes nothing").isEqualTo(before);
    }

    @Test
    void dryRunOfAnUploadCreatesNothingOnTheServer(@TempDir Path tmp) throws Exception {
        download(tmp, Selection.all()).run().block();
        c.project("PLANNED").create().block();
        TransferPlan plan = BulkClient.of(c, fast())
                .upload(tmp.resolve(SESSION), c.project("PLANNED"), null, null, null, Selection.all())
                .plan()
                .block();
        assertThat(plan.toTransfer()).hasSize(13);
        assertThat(plan.upToDate()).isEmpty();
        assertThat(plan.toTransfer())
                .allMatch(i -> i.target().startsWith("/data/projects/PLANNED/subjects/DEMO_S001/experiments/"));
        assertThat(c.project("PLANNED").subjects().collectList().block()).isEmpty();
        assertThat(c.project("PLANNED").experiments().collectList().block()).isEmpty();
        assertThat(c.project("PLANNED").subject("DEMO_S001").exists().block()).isFalse();
    }

    @Test
    void eventsComeInOrderForEachFile(@TempDir Path dest) {
        List<TransferEvent> events = Collections.synchronizedList(new ArrayList<>());
        download(dest, Selection.all()).events().doOnNext(events::add).blockLast();

        // the plan streams: its totals come once the listing is complete
        assertThat(DownloadFaultsTest.planned(events))
                .containsExactly(new TransferEvent.Planned(13, 12L * 4096 + "session notes".length(), 0));
        assertThat(events.get(events.size() - 1)).isInstanceOf(TransferEvent.Finished.class);
        assertThat(events.stream().filter(e -> e instanceof TransferEvent.Planned))
                .hasSize(1);
        assertThat(events.stream().filter(e -> e instanceof TransferEvent.Finished))
                .hasSize(1);

        Map<TransferItem, List<TransferEvent>> perFile = new HashMap<>();
        for (TransferEvent e : events) {
            TransferItem item = itemOf(e);
            if (item != null) {
                perFile.computeIfAbsent(item, k -> new ArrayList<>()).add(e);
            }
        }
        assertThat(perFile).hasSize(13);
        perFile.forEach((item, list) -> {
            assertThat(list.get(0)).as(item + ": " + list).isInstanceOf(TransferEvent.Started.class);
            assertThat(list.get(list.size() - 1)).as(item + ": " + list).isInstanceOf(TransferEvent.Completed.class);
            assertThat(list.subList(1, list.size() - 1))
                    .as(item + ": " + list)
                    .isNotEmpty()
                    .allMatch(e -> e instanceof TransferEvent.Bytes);
            long bytes = list.stream()
                    .filter(e -> e instanceof TransferEvent.Bytes)
                    .mapToLong(e -> ((TransferEvent.Bytes) e).bytes())
                    .sum();
            assertThat(bytes).as(item.toString()).isEqualTo(item.size());
            assertThat(((TransferEvent.Completed) list.get(list.size() - 1)).bytes())
                    .isEqualTo(item.size());
        });

        // a rerun: each file is skipped, once
        List<TransferEvent> again = Collections.synchronizedList(new ArrayList<>());
        download(dest, Selection.all()).events().doOnNext(again::add).blockLast();
        assertThat(DownloadFaultsTest.planned(again))
                .containsExactly(new TransferEvent.Planned(13, 12L * 4096 + "session notes".length(), 13));
        assertThat(again.subList(0, again.size() - 1).stream()
                        .filter(e -> !(e instanceof TransferEvent.Listed) && !(e instanceof TransferEvent.Planned)))
                .hasSize(13)
                .allMatch(e -> e instanceof TransferEvent.Skipped);
        assertThat(again.get(again.size() - 1)).isInstanceOf(TransferEvent.Finished.class);
    }

    static TransferItem itemOf(TransferEvent e) {
        if (e instanceof TransferEvent.Started s) {
            return s.item();
        } else if (e instanceof TransferEvent.Bytes b) {
            return b.item();
        } else if (e instanceof TransferEvent.Retried r) {
            return r.item();
        } else if (e instanceof TransferEvent.Completed c) {
            return c.item();
        } else if (e instanceof TransferEvent.Skipped s) {
            return s.item();
        } else if (e instanceof TransferEvent.Failed f) {
            return f.item();
        }
        return null;
    }

    @Test
    void concurrencyIsCappedByTheConnectionPool(@TempDir Path dest) {
        try (XnatClient small = client(xnat, 3)) {
            BulkClient bulk = BulkClient.of(small, fast().concurrency(8).adaptive(false));
            Transfer t = bulk.downloadProject(small.project("DEMO"), dest, Selection.all());
            assertThat(t.concurrency()).isEqualTo(3);
            assertThat(bulk.withOptions(fast().concurrency(2))
                            .downloadProject(small.project("DEMO"), dest, Selection.all())
                            .concurrency())
                    .isEqualTo(2);

            // files in flight: Started after a permit is taken, the file's last Bytes before it is given back
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            TransferReport r = t.events()
                    .doOnNext(e -> {
                        if (e instanceof TransferEvent.Started) {
                            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        } else if (e instanceof TransferEvent.Bytes) {
                            inFlight.decrementAndGet();
                        }
                    })
                    .ofType(TransferEvent.Finished.class)
                    .blockLast()
                    .report();
            assertThat(r.succeeded()).isTrue();
            assertThat(r.files()).isEqualTo(13);
            assertThat(most.get()).isBetween(2, 3);
        }
    }
}
