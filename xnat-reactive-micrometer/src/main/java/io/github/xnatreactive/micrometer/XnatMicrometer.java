package io.github.xnatreactive.micrometer;

import io.github.xnatreactive.bulk.TransferEvent;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatEventListener;
import io.github.xnatreactive.micrometer.internal.ClientListener;
import io.github.xnatreactive.micrometer.internal.TransferInstrumentation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;

/**
 * Metrics and traces of an {@link XnatClient} and its bulk transfers, with Micrometer. Nothing of it runs unless
 * you add it: core and bulk do not depend on Micrometer.
 *
 * <pre>{@code
 * XnatMicrometer micrometer = XnatMicrometer.of(meterRegistry, observationRegistry);
 * XnatClient xnat = micrometer.instrument(XnatClient.builder()
 *                 .serverUrl(url)
 *                 .credentials(Credentials.password(user, password)))
 *         .build();
 * BulkClient bulk = BulkClient.of(xnat, micrometer.instrument(TransferOptions.defaults()));
 * }</pre>
 *
 * <p>What it records (all names and tags are bounded: paths are templates such as
 * {@code /data/projects/{project}/subjects}, never IDs or labels):
 *
 * <ul>
 *   <li>an observation {@code xnat.client.requests} per request, from its subscription to the end of its reply
 *       (retries and a login wait included), with the low-cardinality keys {@code method}, {@code uri},
 *       {@code status}, {@code outcome} and {@code exception}; its parent is the observation in the subscriber's
 *       Reactor context (key {@code "micrometer.observation"}, as Reactor's and Spring's instrumentation put it) or
 *       the current one. With a meter handler on the observation registry (Spring Boot has one; {@link #of(MeterRegistry)}
 *       makes one) this is the timer {@code xnat.client.requests} with those tags;
 *   <li>counters {@code xnat.client.retries} ({@code method}, {@code uri}, {@code exception}) and
 *       {@code xnat.client.session.renewals} (logins anew after the server rejected the session);
 *   <li>Reactor Netty's connection pool gauges for the client's pool: {@code
 *       reactor.netty.connection.provider.total.connections}, {@code .active.connections}, {@code
 *       .idle.connections}, {@code .pending.connections} and {@code .max.connections}, tagged {@code name},
 *       {@code id} and {@code remote.address};
 *   <li>per bulk job ({@link #transfers(String)}): an observation {@code xnat.bulk.jobs} (keys {@code job},
 *       {@code outcome}) that is the parent of the job's requests, counters {@code xnat.bulk.bytes},
 *       {@code xnat.bulk.files} ({@code result}: completed, skipped, failed) and {@code xnat.bulk.retries}, and
 *       gauges {@code xnat.bulk.active.files} (files in flight now) and {@code xnat.bulk.throughput} (bytes per
 *       second over the last 10 seconds), all tagged {@code job}.
 * </ul>
 *
 * <p>Immutable and thread-safe; one instance may serve many clients.
 */
public final class XnatMicrometer {
    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final TransferInstrumentation transfers;

    private XnatMicrometer(MeterRegistry meters, ObservationRegistry observations) {
        this.meters = meters;
        this.observations = observations;
        this.transfers = new TransferInstrumentation(meters, observations);
    }

    /**
     * Metrics only: the request timers come from observations on a registry of its own with Micrometer's
     * {@link DefaultMeterObservationHandler}, and no span reaches a tracer.
     *
     * @param meters where the timers, counters and gauges go
     * @return the instrumentation
     */
    public static XnatMicrometer of(MeterRegistry meters) {
        Objects.requireNonNull(meters, "meters");
        ObservationRegistry own = ObservationRegistry.create();
        own.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        return new XnatMicrometer(meters, own);
    }

    /**
     * Observations only (for a tracer): no counter and no gauge.
     *
     * @param observations the registry whose handlers (a tracing bridge, a meter handler) see each observation
     * @return the instrumentation
     */
    public static XnatMicrometer of(ObservationRegistry observations) {
        return new XnatMicrometer(null, Objects.requireNonNull(observations, "observations"));
    }

    /**
     * Metrics and observations, as Spring Boot wires them: counters and gauges go to {@code meters}; the timers
     * come from the observations, through the meter handler that {@code observations} must have (Spring Boot's
     * has one).
     *
     * @param meters where the counters and gauges go
     * @param observations the registry whose handlers see each observation
     * @return the instrumentation
     */
    public static XnatMicrometer of(MeterRegistry meters, ObservationRegistry observations) {
        return new XnatMicrometer(
                Objects.requireNonNull(meters, "meters"), Objects.requireNonNull(observations, "observations"));
    }

    /**
     * A new event listener for one client ({@link XnatClient.Builder#eventListener(XnatEventListener)}); it
     * replaces any listener set before.
     *
     * @return the listener
     */
    public XnatEventListener eventListener() {
        return new ClientListener(meters, observations);
    }

    /**
     * Sets {@link #eventListener()} on the builder.
     *
     * @param builder a client builder
     * @return the same builder
     */
    public XnatClient.Builder instrument(XnatClient.Builder builder) {
        return builder.eventListener(eventListener());
    }

    /**
     * The instrumentation of bulk jobs, tagged {@code job=transfer}.
     *
     * @return the function for {@link TransferOptions#instrument(UnaryOperator)}
     */
    public UnaryOperator<Flux<TransferEvent>> transfers() {
        return transfers("transfer");
    }

    /**
     * The instrumentation of bulk jobs under a name of yours.
     *
     * @param job the value of the {@code job} tag, e.g. {@code nightly-mirror}: a fixed name, not an ID
     * @return the function for {@link TransferOptions#instrument(UnaryOperator)}
     */
    public UnaryOperator<Flux<TransferEvent>> transfers(String job) {
        Objects.requireNonNull(job, "job");
        return events -> transfers.observe(job, events);
    }

    /**
     * The options with {@link #transfers()} added.
     *
     * @param options bulk transfer options
     * @return new options
     */
    public TransferOptions instrument(TransferOptions options) {
        return options.instrument(transfers());
    }

    @Override
    public String toString() {
        return "XnatMicrometer[meters="
                + (meters == null ? "none" : meters.getClass().getSimpleName()) + ", observations="
                + (observations.isNoop() ? "none" : "on") + "]";
    }
}
