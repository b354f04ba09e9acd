package io.github.xnatreactive.kafka;

import io.github.xnatreactive.kafka.internal.Json;
import io.github.xnatreactive.kafka.internal.KafkaConfigs;
import io.github.xnatreactive.kafka.internal.TopicReader;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Where a job stands, read from its topics: sessions planned (the work topic's records), done and failed (the
 * results topic, committed records only, each session counted once), remaining, and throughput from the first
 * result's start to the last one's end.
 *
 * <p>Example: {@code MigrationStatus s = MigrationStatus.read(Map.of("bootstrap.servers", b), "site-2026").block();}
 *
 * @param job the job's ID
 * @param planned sessions in the work topic
 * @param done sessions verified at the destination
 * @param failed sessions that failed for good (in the dead-letter topic)
 * @param remaining sessions neither done nor failed yet
 * @param bytes bytes moved by the sessions reported
 * @param seconds seconds from the start of the first reported session to the end of the last
 */
public record MigrationStatus(
        String job, long planned, long done, long failed, long remaining, long bytes, double seconds) {
    /**
     * Reads the job's topics (blocking work, on a thread that may block).
     *
     * @param kafka the Kafka client settings: at least {@code bootstrap.servers}
     * @param job the job's ID
     * @return the status; a job never planned has nothing planned
     * @throws IllegalArgumentException when the job ID is not valid or {@code bootstrap.servers} is missing
     */
    public static Mono<MigrationStatus> read(Map<String, Object> kafka, String job) {
        MigrationTopics topics = MigrationTopics.of(job);
        Map<String, Object> config = KafkaConfigs.reader(KafkaConfigs.checked(kafka), topics, "status");
        return Mono.fromCallable(() -> {
                    AtomicLong planned = new AtomicLong();
                    TopicReader.readAll(config, topics.work(), r -> planned.incrementAndGet());
                    Map<String, SessionResult> results = new HashMap<>();
                    TopicReader.readAll(config, topics.results(), r -> {
                        SessionResult s = Json.result(r.value());
                        results.merge(r.key(), s, (a, b) -> a.done() ? a : b);
                    });
                    long done = results.values().stream()
                            .filter(SessionResult::done)
                            .count();
                    long failed = results.size() - done;
                    long bytes = results.values().stream()
                            .mapToLong(SessionResult::bytes)
                            .sum();
                    long first = results.values().stream()
                            .mapToLong(s -> s.finishedAt() - s.millis())
                            .min()
                            .orElse(0);
                    long last = results.values().stream()
                            .mapToLong(SessionResult::finishedAt)
                            .max()
                            .orElse(0);
                    return new MigrationStatus(
                            job,
                            planned.get(),
                            done,
                            failed,
                            Math.max(0, planned.get() - done - failed),
                            bytes,
                            (last - first) / 1000.0);
                })
                .subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Sessions reported per second.
     *
     * @return done and failed sessions per second of {@link #seconds()}, 0 before the first result
     */
    public double sessionsPerSecond() {
        return seconds <= 0 ? 0 : (done + failed) / seconds;
    }

    /**
     * Bytes moved per second.
     *
     * @return bytes per second of {@link #seconds()}, 0 before the first result
     */
    public double bytesPerSecond() {
        return seconds <= 0 ? 0 : bytes / seconds;
    }

    /**
     * Whether every planned session is reported.
     *
     * @return true when something was planned and nothing remains
     */
    public boolean finished() {
        return planned > 0 && remaining == 0;
    }

    /**
     * Describes the status for a terminal.
     *
     * @return one line: planned, done, failed, remaining, throughput
     */
    public String summary() {
        return String.format(
                Locale.ROOT,
                "%s: %d planned, %d done, %d failed, %d remaining; %.1f sessions/s, %.1f MB/s over %.1f s",
                job,
                planned,
                done,
                failed,
                remaining,
                sessionsPerSecond(),
                bytesPerSecond() / 1e6,
                seconds);
    }
}
