package io.github.xnatreactive.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.Experiment;
import io.github.xnatreactive.core.FileEntry;
import io.github.xnatreactive.core.Resource;
import io.github.xnatreactive.core.RetryPolicy;
import io.github.xnatreactive.core.Scan;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.kafka.internal.Json;
import io.github.xnatreactive.kafka.internal.KafkaConfigs;
import io.github.xnatreactive.kafka.internal.TopicReader;
import io.github.xnatreactive.testkit.FaultSpec;
import io.github.xnatreactive.testkit.RouteResponse;
import io.github.xnatreactive.testkit.SeedSpec;
import io.github.xnatreactive.testkit.XnatTestServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * Migrations through a real broker in the test JVM, between two test servers: three workers share 200 sessions and
 * one of them is killed in the middle of a session; a session that always fails ends in the dead-letter topic; a
 * planner's rerun adds nothing.
 */
class MigrationKafkaTest {
    @RegisterExtension
    static KafkaBroker broker = new KafkaBroker();

    @RegisterExtension
    static XnatTestServerExtension source = new XnatTestServerExtension(b -> b.user("admin", "admin")
            .seed(SeedSpec.parse("A:10x10x2x1x1K"))
            .seed(SeedSpec.parse("B:10x10x2x1x1K"))
            .seed(SeedSpec.parse("BAD:1x6x1x2x1K"))
            .seed(SeedSpec.parse("G:4x5x2x1x1K"))
            .seed(SeedSpec.parse("ND:1x4x1x2x1K")));

    @RegisterExtension
    static XnatTestServerExtension dest = new XnatTestServerExtension(b -> b.user("admin", "admin"));

    static final List<XnatClient> clients = new ArrayList<>();

    static XnatClient client(XnatTestServerExtension x) {
        XnatClient c = XnatClient.builder()
                .serverUrl(x.server().baseUrl())
                .credentials(Credentials.password("admin", "admin"))
                .maxConnections(16)
                .retryPolicy(RetryPolicy.defaults()
                        .initialBackoff(Duration.ofMillis(5))
                        .maxBackoff(Duration.ofMillis(20)))
                .build();
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    /** A worker's clients of its own, as on a machine of its own. */
    static MigrationClients machine() {
        XnatClient s = client(source);
        XnatClient d = client(dest);
        return (url, isSource) -> isSource ? s : d;
    }

    static MigrationOptions options() {
        return MigrationOptions.defaults()
                .concurrency(4)
                .attempts(3)
                .backoff(Duration.ofMillis(10))
                .transfer(TransferOptions.defaults().backoff(Duration.ofMillis(5), Duration.ofMillis(20)));
    }

    /** The options, with one file at a time in each session: a session stays in flight between its files. */
    static MigrationOptions oneFileAtATime() {
        return options()
                .transfer(TransferOptions.defaults()
                        .concurrency(1)
                        .adaptive(false)
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(20)));
    }

    static XnatClient src;
    static XnatClient dst;

    @BeforeAll
    static void connect() {
        src = client(source);
        dst = client(dest);
    }

    @AfterAll
    static void close() {
        clients.forEach(XnatClient::close);
    }

    @Test
    void threeWorkersFinishAJobWhenOneDiesInTheMiddleOfASession() throws Exception {
        String job = "site";
        MigrationPlan plan = MigrationPlan.mirror(job, src, dst).projects(List.of("A", "B"));
        MigrationPlanner planner = MigrationPlanner.of(broker.kafka(), job).partitions(6);
        MigrationPlanner.Report first = planner.plan(plan.tasks()).block();
        assertThat(first.planned()).isEqualTo(200);
        assertThat(first.alreadyPlanned()).isZero();

        Map<String, List<SessionResult>> reported = new ConcurrentHashMap<>();
        AtomicInteger victimCommitted = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicReference<Disposable> victim = new AtomicReference<>();
        CountDownLatch victimDead = new CountDownLatch(1);
        Set<String> victimFinished = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> victimFiles = new ConcurrentHashMap<>();
        Set<String> victimStarted = ConcurrentHashMap.newKeySet();
        Set<String> inFlightAtKill = ConcurrentHashMap.newKeySet();
        List<Disposable> running = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int w = 0; w < 3; w++) {
            boolean isVictim = w == 1;
            MigrationWorker worker = MigrationWorker.of(broker.kafka(), job, machine(), options())
                    .id("w" + w);
            if (isVictim) {
                // the kill: in the middle of its sessions (one file at a time, so that a session's first scan is
                // verified at the destination while its second is still to go), after some sessions were committed;
                // the consumer closes without committing more. The destination answers slowly while the kill
                // happens (off the event loop that told of the file), so that the sessions in flight stay so.
                worker = MigrationWorker.of(broker.kafka(), job, machine(), oneFileAtATime())
                        .id("w1")
                        .listener((task, e) -> {
                            if (e instanceof TransferEvent.Started) {
                                victimStarted.add(task.session());
                            } else if (e instanceof TransferEvent.Finished) {
                                victimFinished.add(task.session());
                            } else if (e instanceof TransferEvent.Completed) {
                                int verified = victimFiles
                                        .computeIfAbsent(task.session(), k -> new AtomicInteger())
                                        .incrementAndGet();
                                // on the first of a session's two files: that session is then surely one the
                                // victim dies in the middle of, with a file in place (a kill on a session's last
                                // file could leave only sessions with nothing verified yet in flight)
                                if (verified == 1 && victimCommitted.get() >= 10 && killed.compareAndSet(false, true)) {
                                    dest.server().faults(FaultSpec.none().latency(Duration.ofSeconds(1)));
                                    Schedulers.boundedElastic().schedule(() -> {
                                        victim.get().dispose();
                                        for (String sid : victimStarted) {
                                            if (!victimFinished.contains(sid)) {
                                                inFlightAtKill.add(sid);
                                            }
                                        }
                                        dest.server().faults(FaultSpec.none());
                                        victimDead.countDown();
                                    });
                                }
                            }
                        });
            }
            Disposable d = worker.run()
                    .subscribe(
                            r -> {
                                if (isVictim) {
                                    victimCommitted.incrementAndGet();
                                }
                                List<SessionResult> l = reported.computeIfAbsent(r.session(), k -> new ArrayList<>());
                                synchronized (l) {
                                    l.add(r);
                                }
                            },
                            errors::add);
            running.add(d);
            if (isVictim) {
                victim.set(d);
            }
        }
        try {
            assertThat(victimDead.await(1, TimeUnit.MINUTES))
                    .as("the victim was killed")
                    .isTrue();
            assertThat(inFlightAtKill)
                    .as("sessions the victim was in the middle of")
                    .isNotEmpty();
            // the job's end as the results topic shows it (a worker's own stream may miss the result of a commit
            // that was on its way to the broker when the worker died: it counts all the same)
            awaitResults(job, 200, Duration.ofSeconds(90));
            assertThat(errors).isEmpty();
        } finally {
            running.forEach(Disposable::dispose);
        }

        // every session reported done once, in the results topic (read whole, now that every worker has stopped)
        Map<String, List<SessionResult>> inTopic = new TreeMap<>();
        TopicReader.readAll(
                KafkaConfigs.reader(broker.kafka(), MigrationTopics.of(job), "test"),
                MigrationTopics.of(job).results(),
                r -> inTopic.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Json.result(r.value())));
        assertThat(inTopic).hasSize(200);
        assertThat(inTopic.values()).allSatisfy(l -> {
            assertThat(l).hasSize(1);
            assertThat(l.get(0).done()).as(l.get(0).toString()).isTrue();
        });
        assertThat(reported.keySet()).isSubsetOf(inTopic.keySet()).hasSizeGreaterThan(190);
        assertThat(reported.values()).allSatisfy(l -> assertThat(l).hasSize(1));
        Set<String> workers =
                inTopic.values().stream().map(l -> l.get(0).worker()).collect(Collectors.toSet());
        assertThat(workers).contains("w0", "w1", "w2");

        // the sessions the victim died in the middle of: each finished once by another worker, which moved only
        // their remainder (what the victim had verified at the destination stayed)
        int resumed = 0;
        for (String sid : inFlightAtKill) {
            SessionResult redone = inTopic.get(sid).get(0);
            assertThat(redone.worker()).as(redone.toString()).isNotEqualTo("w1");
            AtomicInteger verifiedBefore = victimFiles.get(sid);
            if (verifiedBefore != null) {
                assertThat(redone.skipped()).as(redone.toString()).isGreaterThanOrEqualTo(verifiedBefore.get());
                assertThat(redone.files() + redone.skipped())
                        .as(redone.toString())
                        .isEqualTo(2);
                resumed++;
            }
        }
        assertThat(resumed)
                .as("sessions resumed after the kill with a file in place")
                .isPositive();

        // every file at the destination, once, as the source has it
        for (String p : List.of("A", "B")) {
            assertThat(files(dst, p)).isEqualTo(files(src, p)).hasSize(200);
        }

        MigrationStatus status = MigrationStatus.read(broker.kafka(), job).block();
        assertThat(status.planned()).isEqualTo(200);
        assertThat(status.done()).isEqualTo(200);
        assertThat(status.failed()).isZero();
        assertThat(status.remaining()).isZero();
        assertThat(status.finished()).isTrue();
        assertThat(status.sessionsPerSecond()).isPositive();

        // a planner rerun adds no duplicate work
        MigrationPlanner.Report again = planner.plan(plan.tasks()).block();
        assertThat(again.planned()).isZero();
        assertThat(again.alreadyPlanned()).isEqualTo(200);
        assertThat(MigrationStatus.read(broker.kafka(), job).block().planned()).isEqualTo(200);
    }

    @Test
    void aSessionThatAlwaysFailsEndsInTheDeadLetterTopicWhileTheRestCompletes() throws Exception {
        String job = "deadletters";
        List<Experiment> sessions =
                src.project("BAD").experiments().collectList().block();
        Experiment bad = sessions.get(2);
        // every read of that session's scans fails, whatever the path it is asked by
        RouteResponse broken = RouteResponse.error(500, "Internal Server Error");
        source.server().route("GET", "/data/experiments/" + bad.id() + "/scans/**", req -> broken);
        source.server()
                .route(
                        "GET",
                        "/data/projects/BAD/subjects/{s}/experiments/" + bad.label() + "/scans/**",
                        req -> broken);

        MigrationPlanner.Report planned = MigrationPlanner.of(broker.kafka(), job)
                .partitions(2)
                .plan(MigrationPlan.mirror(job, src, dst)
                        .projects(List.of("BAD"))
                        .tasks())
                .block();
        assertThat(planned.planned()).isEqualTo(6);

        List<SessionResult> results = MigrationWorker.of(broker.kafka(), job, machine(), options())
                .id("solo")
                .run()
                .take(6)
                .collectList()
                .block(Duration.ofMinutes(2));
        assertThat(results).hasSize(6);
        assertThat(results.stream().filter(SessionResult::done)).hasSize(5);
        SessionResult failed =
                results.stream().filter(r -> !r.done()).findFirst().orElseThrow();
        assertThat(failed.session()).isEqualTo(bad.id());
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.cause()).contains("500");

        List<DeadLetter> dead = new ArrayList<>();
        TopicReader.readAll(
                KafkaConfigs.reader(broker.kafka(), MigrationTopics.of(job), "test"),
                MigrationTopics.of(job).deadLetter(),
                r -> dead.add(Json.deadLetter(r.value())));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).task().session()).isEqualTo(bad.id());
        assertThat(dead.get(0).task().label()).isEqualTo(bad.label());
        assertThat(dead.get(0).cause()).isEqualTo(failed.cause());
        assertThat(dead.get(0).attempts()).isEqualTo(3);

        MigrationStatus status = MigrationStatus.read(broker.kafka(), job).block();
        assertThat(status.done()).isEqualTo(5);
        assertThat(status.failed()).isEqualTo(1);
        assertThat(status.remaining()).isZero();
        Map<String, String> there = files(dst, "BAD");
        assertThat(there).hasSize(10);
        assertThat(there.keySet()).noneMatch(k -> k.contains(bad.label()));
    }

    @Test
    void aWorkerStoppedGracefullyFinishesAndCommitsItsSessionsInFlightTakesNoMoreAndLeaves() throws Exception {
        String job = "graceful";
        MigrationPlanner.Report planned = MigrationPlanner.of(broker.kafka(), job)
                .partitions(3)
                .plan(MigrationPlan.mirror(job, src, dst).projects(List.of("G")).tasks())
                .block();
        assertThat(planned.planned()).isEqualTo(20);

        reactor.core.publisher.Sinks.Empty<Void> stop = reactor.core.publisher.Sinks.empty();
        Set<String> started = ConcurrentHashMap.newKeySet();
        Set<String> finished = ConcurrentHashMap.newKeySet();
        Set<String> inFlightAtStop = ConcurrentHashMap.newKeySet();
        AtomicInteger reported = new AtomicInteger();
        AtomicInteger reportedAtStop = new AtomicInteger(-1);
        AtomicInteger reportedAtEffect = new AtomicInteger(-1);
        AtomicInteger inFlightAtEffect = new AtomicInteger(-1);
        MigrationWorker g1 = MigrationWorker.of(broker.kafka(), job, machine(), oneFileAtATime())
                .id("g1")
                .listener((task, e) -> {
                    if (e instanceof TransferEvent.Started) {
                        started.add(task.session());
                        // the stop, once two sessions are reported, as a file starts (its session is surely in
                        // flight then); a slow destination keeps the sessions in flight so for a while
                        if (reported.get() >= 2 && reportedAtStop.compareAndSet(-1, reported.get())) {
                            dest.server().faults(FaultSpec.none().latency(Duration.ofMillis(200)));
                            for (String sid : started) {
                                if (!finished.contains(sid)) {
                                    inFlightAtStop.add(sid);
                                }
                            }
                            stop.tryEmitEmpty();
                        }
                    } else if (e instanceof TransferEvent.Finished) {
                        finished.add(task.session());
                    }
                });
        List<SessionResult> g1Results;
        try {
            g1Results = g1.run(stop.asMono(), Duration.ofMinutes(1), n -> {
                        inFlightAtEffect.set(n);
                        reportedAtEffect.set(reported.get());
                    })
                    .doOnNext(r -> reported.incrementAndGet())
                    .collectList()
                    .block(Duration.ofMinutes(2));
        } finally {
            dest.server().faults(FaultSpec.none());
        }
        // the flux completed (no error, no crash) once the sessions in flight were done
        assertThat(inFlightAtStop).as("sessions in flight at the stop").isNotEmpty();
        Set<String> byG1 = g1Results.stream().map(SessionResult::session).collect(Collectors.toSet());
        assertThat(byG1)
                .as("every session in flight at the stop, finished by the stopped worker")
                .containsAll(inFlightAtStop);
        assertThat(byG1).as("every session it started, finished").containsAll(started);
        assertThat(g1Results)
                .allSatisfy(r -> assertThat(r.done()).as(r.toString()).isTrue());
        // the worker said when the stop took effect (a few milliseconds after it: a session may have started in
        // between), and at most the four sessions that can be in flight at once came after that: no new work
        assertThat(reportedAtEffect.get()).isGreaterThanOrEqualTo(reportedAtStop.get());
        assertThat(inFlightAtEffect.get()).isBetween(0, 4);
        assertThat(g1Results.size())
                .isGreaterThanOrEqualTo(reportedAtStop.get() + inFlightAtStop.size())
                .isLessThanOrEqualTo(reportedAtEffect.get() + 4);
        assertThat(g1Results.size()).isLessThan(20);

        // everything the stopped worker reported is committed; a second worker does the rest, nothing twice
        assertThat(MigrationStatus.read(broker.kafka(), job).block().done()).isEqualTo(g1Results.size());
        Disposable g2 = MigrationWorker.of(broker.kafka(), job, machine(), options())
                .id("g2")
                .run()
                .subscribe();
        Map<String, List<SessionResult>> inTopic;
        try {
            inTopic = awaitResults(job, 20, Duration.ofSeconds(90));
        } finally {
            g2.dispose();
        }
        assertThat(inTopic.values()).allSatisfy(l -> assertThat(l).hasSize(1));
        for (String sid : byG1) {
            assertThat(inTopic.get(sid).get(0).worker()).isEqualTo("g1");
        }
        assertThat(inTopic.values().stream().map(l -> l.get(0).worker())).contains("g2");
        assertThat(files(dst, "G")).isEqualTo(files(src, "G")).hasSize(40);
    }

    @Test
    void aStopWithNoDrainTimeEndsTheWorkerAtOnceAndCommitsNothingMore() {
        String job = "nodrain";
        MigrationPlanner.of(broker.kafka(), job)
                .partitions(2)
                .plan(MigrationPlan.mirror(job, src, dst)
                        .projects(List.of("ND"))
                        .tasks())
                .block();
        // the stop at the first file to start: no session can be done by then
        reactor.core.publisher.Sinks.Empty<Void> stop = reactor.core.publisher.Sinks.empty();
        List<SessionResult> results = MigrationWorker.of(broker.kafka(), job, machine(), options())
                .id("nd")
                .listener((task, e) -> {
                    if (e instanceof TransferEvent.Started) {
                        stop.tryEmitEmpty();
                    }
                })
                .run(stop.asMono(), Duration.ZERO)
                .collectList()
                .block(Duration.ofMinutes(1));
        assertThat(results).isEmpty();
        assertThat(MigrationStatus.read(broker.kafka(), job).block().done()).isZero();
        assertThatNegativeDrainIsRefused();
    }

    private static void assertThatNegativeDrainIsRefused() {
        MigrationWorker w = MigrationWorker.of(broker.kafka(), "nodrain", machine(), options());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> w.run(reactor.core.publisher.Mono.never(), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("drain");
    }

    /**
     * Reads the job's results topic (committed records only) as they arrive, until {@code n} sessions are reported
     * or {@code timeout} has passed; every record read, by session.
     */
    static Map<String, List<SessionResult>> awaitResults(String job, int n, Duration timeout) {
        MigrationTopics topics = MigrationTopics.of(job);
        Map<String, List<SessionResult>> out = new TreeMap<>();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, String> c =
                new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                        KafkaConfigs.reader(broker.kafka(), topics, "await"),
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.StringDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> parts = c.partitionsFor(topics.results()).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                for (var r : c.poll(Duration.ofMillis(500))) {
                    out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Json.result(r.value()));
                }
            }
        }
        assertThat(out).as("sessions reported in %s", topics.results()).hasSize(n);
        return out;
    }

    /** Every file of a project's sessions, by labels (never accession IDs, which differ): size and MD5. */
    static Map<String, String> files(XnatClient c, String project) {
        Map<String, String> out = new TreeMap<>();
        for (Experiment e : c.project(project).experiments().collectList().block()) {
            var er = c.experiment(e.id());
            for (Scan s : er.scans().collectList().block()) {
                for (Resource r : er.scan(s.id()).resources().collectList().block()) {
                    for (FileEntry f : er.scan(s.id())
                            .resource(r.label())
                            .files()
                            .collectList()
                            .block()) {
                        out.merge(
                                e.label() + "/" + s.id() + "/" + r.label() + "/" + f.path(),
                                f.size() + " " + f.digest(),
                                (a, b) -> a + " DUPLICATE " + b);
                    }
                }
            }
        }
        return out;
    }
}
