package io.github.xnatreactive.kafka.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;

/**
 * The reactive bridge over a Kafka consumer: one thread of its own runs the poll loop (the consumer is not
 * thread-safe) and hands records downstream only as far as downstream asked; while records wait for demand, every
 * assigned partition is paused, so the consumer keeps polling (and stays in its group) without fetching more.
 *
 * <p>Each record is a {@link Delivery}: downstream {@linkplain Delivery#complete completes} it with the records to
 * publish for it, and the loop commits, in one Kafka transaction, those records and the offsets of every partition
 * up to its first record not yet complete. A record's output and its offset commit are thus one atomic step: after a
 * crash either both happened or neither did, and a record is never reported twice. When the group takes a partition
 * away, its complete prefix is committed first and its records still in flight are {@linkplain Delivery#revoked()
 * revoked}, so that downstream stops working on them (their new owner starts them again).
 *
 * <p>Cancelling the subscription is a crash: the loop stops, nothing more is committed, the consumer closes. A
 * drain is the graceful stop: from the drain signal on, nothing more is handed out (the records fetched and not
 * handed out stay uncommitted, for the partitions' next owners), the records in flight are completed and committed
 * as usual, and once none is left the consumer leaves the group and the flux completes.
 */
public final class WorkReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(WorkReceiver.class);

    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final String topic;
    private final String threadName;
    private final Duration pollTimeout;

    public WorkReceiver(
            Map<String, Object> consumerConfig,
            Map<String, Object> producerConfig,
            String topic,
            String threadName,
            Duration pollTimeout) {
        this.consumerConfig = Map.copyOf(consumerConfig);
        this.producerConfig = Map.copyOf(producerConfig);
        this.topic = topic;
        this.threadName = threadName;
        this.pollTimeout = pollTimeout;
    }

    /** The records of the topic as the group assigns them; one subscriber, one consumer per subscription. */
    public Flux<Delivery> receive() {
        return receive(Mono.never(), inFlight -> {});
    }

    /**
     * As {@link #receive()}, drained from the moment {@code drain} completes: the flux then completes once every
     * record handed out is committed (or revoked). An error of {@code drain} fails the flux, as a crash. {@code
     * onDraining} is told, once, when the drain takes effect: from then on nothing more is handed out. Its argument
     * is the number of records in flight then; it is called on the receiver's thread and must not block.
     */
    public Flux<Delivery> receive(Mono<Void> drain, java.util.function.IntConsumer onDraining) {
        return Flux.create(
                sink -> {
                    Loop loop = new Loop(sink, onDraining);
                    sink.onRequest(loop::request);
                    reactor.core.Disposable drained = drain.subscribe(null, sink::error, loop::drain);
                    sink.onDispose(() -> {
                        drained.dispose();
                        loop.kill();
                    });
                    Thread t = new Thread(loop, threadName);
                    t.setDaemon(true);
                    t.start();
                },
                FluxSink.OverflowStrategy.ERROR);
    }

    /** One record handed downstream, and what downstream says of it. */
    public static final class Delivery {
        private final ConsumerRecord<String, String> record;
        private final Loop loop;
        private final Track track;
        private final Sinks.One<Boolean> committed = Sinks.one();
        private final Sinks.Empty<Void> revoked = Sinks.empty();
        private boolean done; // loop thread only
        private List<ProducerRecord<String, String>> outputs = List.of(); // loop thread only

        Delivery(ConsumerRecord<String, String> record, Loop loop, Track track) {
            this.record = record;
            this.loop = loop;
            this.track = track;
        }

        public ConsumerRecord<String, String> record() {
            return record;
        }

        /** Completes when the group took the record's partition away before it was committed. */
        public Mono<Void> revoked() {
            return revoked.asMono();
        }

        /**
         * Marks the record done, with what to publish for it. The result is true once the outputs and the offset
         * are committed, false when the record's partition was revoked or the receiver stopped first.
         */
        public Mono<Boolean> complete(List<ProducerRecord<String, String>> outputs) {
            List<ProducerRecord<String, String>> out = List.copyOf(outputs);
            loop.commands.add(() -> {
                if (track.revoked) {
                    committed.tryEmitValue(false);
                } else {
                    done = true;
                    this.outputs = out;
                    LOG.debug("{} done", this);
                }
            });
            if (loop.closed) {
                committed.tryEmitValue(false);
            } else {
                loop.wake();
            }
            return committed.asMono();
        }

        void revoke() {
            revoked.tryEmitEmpty();
            committed.tryEmitValue(false);
        }

        @Override
        public String toString() {
            return record.topic() + "-" + record.partition() + "@" + record.offset() + " " + record.key();
        }
    }

    /** A partition's records handed out and not yet committed, by offset. */
    static final class Track {
        final TopicPartition partition;
        final TreeMap<Long, Delivery> pending = new TreeMap<>();
        volatile boolean revoked;

        Track(TopicPartition partition) {
            this.partition = partition;
        }
    }

    final class Loop implements Runnable, ConsumerRebalanceListener {
        final FluxSink<Delivery> sink;
        final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
        final AtomicLong requested = new AtomicLong();
        final ArrayDeque<Delivery> buffer = new ArrayDeque<>();
        final Map<TopicPartition, Track> tracks = new HashMap<>();
        volatile boolean killed;
        volatile boolean closed;
        boolean draining; // loop thread only
        volatile KafkaConsumer<String, String> consumer;
        KafkaProducer<String, String> producer;

        private final java.util.function.IntConsumer onDraining;

        Loop(FluxSink<Delivery> sink, java.util.function.IntConsumer onDraining) {
            this.sink = sink;
            this.onDraining = onDraining;
        }

        void request(long n) {
            requested.accumulateAndGet(n, Operators::addCap);
            wake();
        }

        void kill() {
            killed = true;
            wake();
        }

        /** Hands out nothing more; the loop ends once the records in flight are committed. */
        void drain() {
            commands.add(() -> {
                if (draining) {
                    return;
                }
                draining = true;
                // fetched, never handed out: left to the partitions' next owners (each is after every record of its
                // partition that was handed out, so the committed prefixes do not change)
                for (Delivery d : buffer) {
                    d.track.pending.remove(d.record.offset());
                }
                buffer.clear();
                int n = inFlight();
                LOG.info("work receiver of {} draining: {} record(s) in flight", topic, n);
                onDraining.accept(n);
            });
            wake();
        }

        /** The records handed out and not yet committed or revoked. */
        private int inFlight() {
            int n = 0;
            for (Track t : tracks.values()) {
                n += t.pending.size();
            }
            return n;
        }

        void wake() {
            KafkaConsumer<String, String> c = consumer;
            if (c != null) {
                c.wakeup();
            }
        }

        @Override
        public void run() {
            Throwable failure = null;
            try {
                producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
                producer.initTransactions();
                consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
                consumer.subscribe(List.of(topic), this);
                while (!killed) {
                    drainCommands();
                    commitReady(new ArrayList<>(tracks.keySet()));
                    if (draining && inFlight() == 0) {
                        LOG.info("work receiver of {} drained: leaving the group", topic);
                        break;
                    }
                    emit();
                    if (buffer.isEmpty() && !draining) {
                        consumer.resume(consumer.paused());
                    } else {
                        // records wait for demand, or the receiver is draining: stay in the group, fetch nothing
                        consumer.pause(consumer.assignment());
                    }
                    if (killed) {
                        break;
                    }
                    try {
                        for (ConsumerRecord<String, String> r : consumer.poll(pollTimeout)) {
                            if (draining) {
                                continue; // (from a partition assigned in this poll, before it was paused)
                            }
                            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                            Track track = tracks.computeIfAbsent(tp, Track::new);
                            Delivery d = new Delivery(r, this, track);
                            track.pending.put(r.offset(), d);
                            buffer.add(d);
                        }
                    } catch (WakeupException woken) {
                        // a command, more demand or a kill: the loop looks at them next
                    }
                }
            } catch (Throwable e) {
                failure = e;
            } finally {
                closed = true;
                stop();
            }
            if (failure != null && !killed) {
                LOG.error("work receiver of {} stopped: {}", topic, failure.toString());
                sink.error(failure);
            } else {
                sink.complete();
            }
        }

        /** Ends the loop's work without committing anything more: every record not committed is another's now. */
        private void stop() {
            for (Track t : tracks.values()) {
                t.revoked = true;
                t.pending.values().forEach(Delivery::revoke);
            }
            tracks.clear();
            buffer.clear();
            Runnable c;
            while ((c = commands.poll()) != null) {
                c.run();
            }
            if (consumer != null) {
                try {
                    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
                } catch (RuntimeException e) {
                    LOG.warn("closing the consumer of {} failed: {}", topic, e.toString());
                }
            }
            if (producer != null) {
                try {
                    producer.close(Duration.ofSeconds(5));
                } catch (RuntimeException e) {
                    LOG.warn("closing the producer of {} failed: {}", topic, e.toString());
                }
            }
        }

        private void drainCommands() {
            Runnable c;
            while ((c = commands.poll()) != null) {
                c.run();
            }
        }

        private void emit() {
            while (!buffer.isEmpty() && requested.get() > 0 && !killed && !draining) {
                Delivery d = buffer.poll();
                if (d.track.revoked) {
                    continue;
                }
                if (requested.get() != Long.MAX_VALUE) {
                    requested.decrementAndGet();
                }
                LOG.debug("{} handed out", d);
                sink.next(d);
            }
        }

        /**
         * Commits, in one transaction, the outputs of the complete prefix of each partition's handed-out records and
         * the offsets after them.
         */
        private void commitReady(Collection<TopicPartition> partitions) {
            if (killed) {
                return; // a crash commits nothing more
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            Map<Track, Integer> prefixes = new HashMap<>();
            List<Delivery> committed = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                Track t = tracks.get(tp);
                if (t == null) {
                    continue;
                }
                int n = 0;
                long next = -1;
                for (Delivery d : t.pending.values()) {
                    if (!d.done) {
                        break;
                    }
                    committed.add(d);
                    next = d.record.offset() + 1;
                    n++;
                }
                if (n > 0) {
                    offsets.put(tp, new OffsetAndMetadata(next));
                    prefixes.put(t, n);
                }
            }
            if (offsets.isEmpty()) {
                return;
            }
            producer.beginTransaction();
            try {
                for (Delivery d : committed) {
                    for (ProducerRecord<String, String> out : d.outputs) {
                        producer.send(out);
                    }
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
            } catch (RuntimeException e) {
                try {
                    producer.abortTransaction();
                } catch (RuntimeException abort) {
                    e.addSuppressed(abort);
                    throw e;
                }
                if (!deferrable(e)) {
                    throw e;
                }
                // the group is rebalancing (this member's generation is no longer current): nothing was published;
                // the records stay done and commit with the next generation, after the next poll has rejoined
                LOG.info("commit of {} records of {} deferred: {}", committed.size(), topic, e.toString());
                return;
            }
            prefixes.forEach((t, n) -> {
                for (int i = 0; i < n; i++) {
                    t.pending.pollFirstEntry();
                }
            });
            LOG.debug("committed {} records of {}: {}", committed.size(), topic, offsets);
            committed.forEach(d -> d.committed.tryEmitValue(true));
        }

        /** A failed commit that a later one, in the group's next generation, may do: a rebalance, not a fault. */
        private boolean deferrable(RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof CommitFailedException
                        || c instanceof RebalanceInProgressException
                        || c instanceof IllegalGenerationException
                        || c instanceof RetriableException) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            LOG.debug("revoked {}", partitions);
            drainCommands();
            commitReady(partitions);
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            LOG.debug("lost {}", partitions);
            drop(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.debug("assigned {}", partitions);
        }

        private void drop(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                Track t = tracks.remove(tp);
                if (t != null) {
                    t.revoked = true;
                    t.pending.values().forEach(Delivery::revoke);
                }
            }
            buffer.removeIf(d -> d.track.revoked);
        }
    }
}
