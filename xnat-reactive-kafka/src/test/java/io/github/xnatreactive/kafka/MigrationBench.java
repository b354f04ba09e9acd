package io.github.xnatreactive.kafka;

import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatEventListener;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;

/**
 * Throughput of Kafka workers, measured (not a test): a broker in this JVM, a source test server whose every
 * request costs {@code latency} (a real XNAT's per-request cost), an empty destination; for each worker count, a
 * job of {@code sessions} sessions run to its end. Prints sessions per second, per worker, and source requests per
 * session. docs/scale-out.md gives the command and reads the numbers.
 *
 * <p>Arguments (all optional): sessions, latency in ms, sessions at once per worker, worker counts (comma-separated),
 * files per session, file size.
 */
public final class MigrationBench {
    private MigrationBench() {}

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int latency = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        String counts = args.length > 3 ? args[3] : "1,2,3";
        int files = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        String size = args.length > 5 ? args[5] : "64K";
        int subjects = Math.max(1, sessions / 10);
        KafkaBroker broker = new KafkaBroker();
        broker.start();
        try (XnatTestServer src = XnatTestServer.builder()
                .seed(SeedSpec.parse("BENCH:" + subjects + "x" + (sessions / subjects) + "x1x" + files + "x" + size))
                .faults(FaultSpec.none().latency(Duration.ofMillis(latency)))
                .start()) {
            System.out.printf(
                    Locale.ROOT,
                    "%d sessions of %d files of %s, source latency %d ms per request, %d sessions at once per worker%n",
                    sessions,
                    files,
                    size,
                    latency,
                    concurrency);
            for (String c : counts.split(",")) {
                int workers = Integer.parseInt(c.trim());
                try (XnatTestServer dst = XnatTestServer.builder().start()) {
                    run(broker, src, dst, sessions, workers, concurrency);
                }
            }
        } finally {
            broker.close();
        }
    }

    static void run(
            KafkaBroker broker, XnatTestServer src, XnatTestServer dst, int sessions, int workers, int concurrency)
            throws Exception {
        String job = "bench-" + workers + "-" + System.nanoTime();
        AtomicLong sourceRequests = new AtomicLong();
        List<XnatClient> clients = new ArrayList<>();
        XnatClient planSrc = client(src, null, clients);
        XnatClient planDst = client(dst, null, clients);
        MigrationPlanner.of(broker.kafka(), job)
                .partitions(12)
                .plan(MigrationPlan.mirror(job, planSrc, planDst).tasks())
                .block();
        CountDownLatch done = new CountDownLatch(sessions);
        AtomicLong bytes = new AtomicLong();
        List<Disposable> running = new ArrayList<>();
        long start = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            XnatClient s = client(src, sourceRequests, clients);
            XnatClient d = client(dst, null, clients);
            running.add(MigrationWorker.of(
                            broker.kafka(),
                            job,
                            (url, isSource) -> isSource ? s : d,
                            MigrationOptions.defaults()
                                    .concurrency(concurrency)
                                    .transfer(TransferOptions.defaults().concurrency(8)))
                    .run()
                    .subscribe(r -> {
                        bytes.addAndGet(r.bytes());
                        done.countDown();
                    }));
        }
        boolean finished = done.await(10, TimeUnit.MINUTES);
        double secs = (System.nanoTime() - start) / 1e9;
        running.forEach(Disposable::dispose);
        clients.forEach(XnatClient::close);
        long n = sessions - done.getCount();
        System.out.printf(
                Locale.ROOT,
                "%d workers: %d sessions in %.1f s%s = %.1f sessions/s (%.1f per worker), %.1f MB/s,"
                        + " %.1f source requests per session%n",
                workers,
                n,
                secs,
                finished ? "" : " (TIMED OUT)",
                n / secs,
                n / secs / workers,
                bytes.get() / secs / 1e6,
                sourceRequests.get() / (double) Math.max(1, n));
    }

    static XnatClient client(XnatTestServer x, AtomicLong requests, List<XnatClient> all) {
        XnatClient.Builder b = XnatClient.builder()
                .serverUrl(x.baseUrl())
                .credentials(Credentials.password(x.adminUser(), x.adminPassword()))
                .maxConnections(64);
        if (requests != null) {
            b.eventListener(new XnatEventListener() {
                @Override
                public void requestStarted(RequestStarted event) {
                    requests.incrementAndGet();
                }
            });
        }
        XnatClient c = b.build();
        all.add(c);
        return c;
    }
}
