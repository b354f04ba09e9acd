package io.github.xnatreactive.kafka.internal;

import io.github.xnatreactive.kafka.MigrationTopics;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The Kafka client settings of each role, on top of the user's (bootstrap servers, security): what the migration
 * relies on is set here and cannot be overridden by accident.
 */
public final class KafkaConfigs {
    private KafkaConfigs() {}

    /** The user's settings, checked: {@code bootstrap.servers} is required. */
    public static Map<String, Object> checked(Map<String, Object> kafka) {
        Object b = kafka.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        if (b == null || b.toString().isBlank()) {
            throw new IllegalArgumentException("the Kafka settings need bootstrap.servers");
        }
        return Map.copyOf(kafka);
    }

    /**
     * A worker's consumer: in the job's group, offsets committed only through the worker's transactions, at most
     * {@code concurrency} records per poll, partitions moved between workers incrementally (cooperative sticky), so
     * that a rebalance takes from a worker only the partitions that move.
     */
    public static Map<String, Object> workerConsumer(
            Map<String, Object> kafka, MigrationTopics topics, String worker, int concurrency) {
        Map<String, Object> c = new HashMap<>(kafka);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, topics.group());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, topics.group() + "-" + worker);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, concurrency));
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return c;
    }

    /** A worker's transactional producer: results, dead letters and offsets commit together. */
    public static Map<String, Object> workerProducer(Map<String, Object> kafka, MigrationTopics topics, String worker) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, topics.group() + "-" + worker + "-results");
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topics.group() + "-" + worker + "-" + UUID.randomUUID());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        return p;
    }

    /** The planner's producer: idempotent, so that a retried send writes a task once. */
    public static Map<String, Object> plannerProducer(Map<String, Object> kafka, MigrationTopics topics) {
        Map<String, Object> p = new HashMap<>(kafka);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, topics.group() + "-planner");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        return p;
    }

    /** A consumer that reads topics from the beginning with no group: the planner's and the status's. */
    public static Map<String, Object> reader(Map<String, Object> kafka, MigrationTopics topics, String role) {
        Map<String, Object> c = new HashMap<>(kafka);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, topics.group() + "-" + role);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return c;
    }
}
