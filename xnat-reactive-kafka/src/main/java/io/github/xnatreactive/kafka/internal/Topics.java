package io.github.xnatreactive.kafka.internal;

import io.github.xnatreactive.kafka.MigrationTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates a job's topics when they are missing. */
public final class Topics {
    private Topics() {}

    /**
     * The work topic with {@code partitions} partitions, results with as many, dead letters with one; the
     * broker's replication factor; every topic kept with no time limit (a job may
     * run for weeks; delete its topics when it is over). Blocks.
     */
    public static void create(Map<String, Object> kafka, MigrationTopics topics, int partitions) throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            Set<String> have = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            if (!have.contains(topics.work())) {
                missing.add(new NewTopic(topics.work(), Optional.of(partitions), Optional.empty())
                        .configs(Map.of("retention.ms", "-1")));
            }
            if (!have.contains(topics.results())) {
                missing.add(new NewTopic(topics.results(), Optional.of(partitions), Optional.empty())
                        .configs(Map.of("retention.ms", "-1")));
            }
            if (!have.contains(topics.deadLetter())) {
                missing.add(new NewTopic(topics.deadLetter(), Optional.of(1), Optional.empty())
                        .configs(Map.of("retention.ms", "-1")));
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e.getCause() instanceof Exception c ? c : e;
                }
            }
        }
    }
}
