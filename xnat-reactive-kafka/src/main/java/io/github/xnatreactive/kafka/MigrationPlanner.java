package io.github.xnatreactive.kafka;

import io.github.xnatreactive.kafka.internal.Json;
import io.github.xnatreactive.kafka.internal.KafkaConfigs;
import io.github.xnatreactive.kafka.internal.TopicReader;
import io.github.xnatreactive.kafka.internal.Topics;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Writes a job's tasks to its work topic, one record per session keyed by the session. It creates the job's topics
 * when they are missing, and reads the work topic first, so that a rerun (after a planner crash, or to add what the
 * source gained since) writes only the sessions not planned yet. Run one planner of a job at a time.
 *
 * <pre>{@code
 * MigrationPlanner.Report r = MigrationPlanner.of(Map.of("bootstrap.servers", bootstrap), "site-2026")
 *         .plan(MigrationPlan.mirror("site-2026", source, destination).tasks())
 *         .block();
 * System.out.println(r.planned() + " sessions planned, " + r.alreadyPlanned() + " planned before");
 * }</pre>
 */
public final class MigrationPlanner {
    private final Map<String, Object> kafka;
    private final MigrationTopics topics;
    private final int partitions;

    private MigrationPlanner(Map<String, Object> kafka, MigrationTopics topics, int partitions) {
        this.kafka = kafka;
        this.topics = topics;
        this.partitions = partitions;
    }

    /**
     * A planner of a job whose work topic, when it creates it, has 12 partitions.
     *
     * @param kafka the Kafka client settings: at least {@code bootstrap.servers}
     * @param job the job's ID
     * @return the planner
     * @throws IllegalArgumentException when the job ID is not valid or {@code bootstrap.servers} is missing
     */
    public static MigrationPlanner of(Map<String, Object> kafka, String job) {
        return new MigrationPlanner(KafkaConfigs.checked(kafka), MigrationTopics.of(job), 12);
    }

    /**
     * The same planner with another number of partitions for the topics it creates: the most workers that can
     * share the job (an existing topic keeps its partitions).
     *
     * @param n at least 1
     * @return a new planner
     * @throws IllegalArgumentException when {@code n < 1}
     */
    public MigrationPlanner partitions(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + n);
        }
        return new MigrationPlanner(kafka, topics, n);
    }

    /**
     * Writes the tasks that the work topic does not have yet.
     *
     * @param tasks the job's tasks, e.g. {@link MigrationPlan#tasks()}; each must be of this planner's job
     * @return what was written, once every record is acknowledged by the broker; an error when a listing or Kafka
     *     failed (the records written before stay, and a rerun adds the rest)
     */
    public Mono<Report> plan(Flux<MigrationTask> tasks) {
        Objects.requireNonNull(tasks);
        // Kafka's calls block: every one runs on boundedElastic; the tasks (listed on the event loops) reach the
        // producer through publishOn's queue, never through a blocking hand-off on an event loop
        return Mono.usingWhen(
                Mono.fromCallable(this::open).subscribeOn(Schedulers.boundedElastic()),
                w -> tasks.publishOn(Schedulers.boundedElastic(), 256)
                        .doOnNext(w::write)
                        .then(Mono.fromCallable(w::finish)),
                w -> Mono.fromRunnable(w::close).subscribeOn(Schedulers.boundedElastic()),
                (w, e) -> Mono.fromRunnable(w::close).subscribeOn(Schedulers.boundedElastic()),
                w -> Mono.fromRunnable(w::close).subscribeOn(Schedulers.boundedElastic()));
    }

    private Writer open() throws Exception {
        Topics.create(kafka, topics, partitions);
        Set<String> planned = new HashSet<>();
        TopicReader.readAll(KafkaConfigs.reader(kafka, topics, "planner"), topics.work(), r -> planned.add(r.key()));
        return new Writer(planned);
    }

    /** One planner run's producer and what the work topic has. */
    private final class Writer {
        final Set<String> planned;
        final long before;
        final KafkaProducer<String, String> producer;
        final AtomicReference<Exception> failed = new AtomicReference<>();
        long written;

        Writer(Set<String> planned) {
            this.planned = planned;
            this.before = planned.size();
            this.producer = new KafkaProducer<>(
                    KafkaConfigs.plannerProducer(kafka, topics), new StringSerializer(), new StringSerializer());
        }

        void write(MigrationTask t) {
            if (!t.job().equals(topics.job())) {
                throw new IllegalArgumentException(
                        "task of job " + t.job() + " given to the planner of " + topics.job());
            }
            Exception e = failed.get();
            if (e != null) {
                throw new IllegalStateException("writing to " + topics.work() + " failed: " + e.getMessage(), e);
            }
            if (planned.add(t.key())) {
                producer.send(new ProducerRecord<>(topics.work(), t.key(), Json.write(t)), (md, err) -> {
                    if (err != null) {
                        failed.compareAndSet(null, err);
                    }
                });
                written++;
            }
        }

        Report finish() throws Exception {
            producer.flush();
            if (failed.get() != null) {
                throw failed.get();
            }
            return new Report(topics.job(), written, before);
        }

        void close() {
            producer.close();
        }
    }

    /**
     * What a planner run wrote.
     *
     * @param job the job's ID
     * @param planned sessions written to the work topic by this run
     * @param alreadyPlanned sessions the work topic had before this run (not written again)
     */
    public record Report(String job, long planned, long alreadyPlanned) {}
}
