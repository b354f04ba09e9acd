package io.github.xnatreactive.micrometer.internal;

import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferItem;
import io.github.xnatreactive.bulk.TransferReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;

/**
 * A bulk job's events as meters and one observation, which is put in the Reactor context upstream so that the
 * job's requests are its children.
 */
public final class TransferInstrumentation {
    static final String JOBS = "xnat.bulk.jobs";

    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final Map<String, JobMeters> byJob = new ConcurrentHashMap<>();

    public TransferInstrumentation(MeterRegistry meters, ObservationRegistry observations) {
        this.meters = meters;
        this.observations = observations;
    }

    /** The meters of one job name, shared by its runs (the gauges add up the runs in flight). */
    private static final class JobMeters {
        final Counter bytes;
        final Counter completed;
        final Counter skipped;
        final Counter failed;
        final Counter retries;
        final AtomicInteger active = new AtomicInteger();
        final Throughput throughput;

        JobMeters(MeterRegistry r, String job) {
            bytes = Counter.builder("xnat.bulk.bytes")
                    .description("Bytes moved by bulk transfers, retried attempts included")
                    .baseUnit("bytes")
                    .tag("job", job)
                    .register(r);
            completed = files(r, job, "completed");
            skipped = files(r, job, "skipped");
            failed = files(r, job, "failed");
            retries = Counter.builder("xnat.bulk.retries")
                    .description("Attempts at files that failed and were tried again")
                    .tag("job", job)
                    .register(r);
            Gauge.builder("xnat.bulk.active.files", active, AtomicInteger::get)
                    .description("Files moving now")
                    .tag("job", job)
                    .register(r);
            throughput = new Throughput(r.config().clock());
            Gauge.builder("xnat.bulk.throughput", throughput, Throughput::perSecond)
                    .description("Bytes per second moved over the last " + Throughput.SECONDS + " seconds")
                    .baseUnit("bytes")
                    .tag("job", job)
                    .register(r);
        }

        private static Counter files(MeterRegistry r, String job, String result) {
            return Counter.builder("xnat.bulk.files")
                    .description("Files of bulk transfers by result: completed, skipped (already in place), failed")
                    .tags("job", job, "result", result)
                    .register(r);
        }
    }

    public Flux<TransferEvent> observe(String job, Flux<TransferEvent> events) {
        return Flux.deferContextual(ctx -> {
            Observation parent = ctx.getOrDefault(ClientListener.OBSERVATION_KEY, null);
            if (parent == null) {
                parent = observations.getCurrentObservation();
            }
            Observation o = Observation.createNotStarted(JOBS, observations)
                    .contextualName("xnat bulk " + job)
                    .lowCardinalityKeyValue("job", job)
                    .parentObservation(parent)
                    .start();
            JobMeters m = meters == null ? null : byJob.computeIfAbsent(job, j -> new JobMeters(meters, j));
            Run run = new Run(o, m);
            return events.doOnNext(run::on)
                    .doOnError(run::failed)
                    .doOnComplete(run::completed)
                    .doOnCancel(run::cancelled)
                    .contextWrite(c -> c.put(ClientListener.OBSERVATION_KEY, o));
        });
    }

    /** One run of a job. */
    private static final class Run {
        private final Observation observation;
        private final JobMeters m;
        private final Set<TransferItem> moving = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean over = new AtomicBoolean();
        private volatile TransferReport report;

        Run(Observation observation, JobMeters m) {
            this.observation = observation;
            this.m = m;
        }

        void on(TransferEvent e) {
            if (e instanceof TransferEvent.Finished f) {
                report = f.report();
            }
            if (m == null) {
                return;
            }
            if (e instanceof TransferEvent.Started s) {
                if (moving.add(s.item())) {
                    m.active.incrementAndGet();
                }
            } else if (e instanceof TransferEvent.Bytes b) {
                m.bytes.increment(b.bytes());
                m.throughput.add(b.bytes());
            } else if (e instanceof TransferEvent.Retried) {
                m.retries.increment();
            } else if (e instanceof TransferEvent.Completed c) {
                m.completed.increment();
                done(c.item());
            } else if (e instanceof TransferEvent.Skipped s) {
                m.skipped.increment();
                done(s.item());
            } else if (e instanceof TransferEvent.Failed f) {
                m.failed.increment();
                done(f.item());
            }
        }

        private void done(TransferItem item) {
            if (moving.remove(item)) {
                m.active.decrementAndGet();
            }
        }

        void completed() {
            TransferReport r = report;
            end(r != null && !r.failed().isEmpty() ? "FILES_FAILED" : "SUCCESS", null);
        }

        void failed(Throwable error) {
            end("ERROR", error);
        }

        void cancelled() {
            end("CANCELLED", null);
        }

        private void end(String outcome, Throwable error) {
            if (!over.compareAndSet(false, true)) {
                return;
            }
            if (m != null) {
                moving.forEach(this::done); // files still moving when the run ends (cancelled, failed)
            }
            TransferReport r = report;
            observation.lowCardinalityKeyValue("outcome", outcome);
            if (r != null) {
                observation.highCardinalityKeyValue("files", Long.toString(r.files()));
                observation.highCardinalityKeyValue("bytes", Long.toString(r.bytes()));
                observation.highCardinalityKeyValue(
                        "failed", Integer.toString(r.failed().size()));
            }
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        }
    }
}
