package io.github.xnatreactive.kafka;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker in the test JVM (Kafka's own KRaft test cluster: one combined controller and broker), one per
 * test class that registers it; settings for a single broker (replication factor 1 for the group and transaction
 * logs, no initial rebalance delay). Public for the command line's tests (the module's test-jar).
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
    private KafkaClusterTestKit cluster;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    /** Starts the broker and waits until it is ready. */
    public void start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "4")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "4")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        close();
    }

    /** Stops the broker and deletes its logs. */
    public void close() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * The bootstrap servers.
     *
     * @return {@code host:port} of the broker
     */
    public String bootstrap() {
        return cluster.bootstrapServers();
    }

    /** The client settings that reach the broker. */
    public Map<String, Object> kafka() {
        return Map.of("bootstrap.servers", cluster.bootstrapServers());
    }

    /**
     * Reads the job's status until it is finished or {@code timeout} has passed.
     *
     * @return the last status read (finished, unless the time ran out)
     */
    public MigrationStatus awaitFinished(String job, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        MigrationStatus status = MigrationStatus.read(kafka(), job).block();
        while (!status.finished() && System.nanoTime() < deadline) {
            status = MigrationStatus.read(kafka(), job).block();
        }
        return status;
    }
}
