package io.github.xnatreactive.micrometer.internal;

import io.github.xnatreactive.core.XnatEventListener;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The client's events as Micrometer meters and observations: one observation per request (its timer comes from the
 * registry's meter handler), counters of retries and session renewals, the pool's gauges.
 */
public final class ClientListener implements XnatEventListener {
    /** Where Reactor's and Spring's instrumentation keep the current observation in a Reactor context. */
    public static final String OBSERVATION_KEY = "micrometer.observation";

    static final String REQUESTS = "xnat.client.requests";
    private static final String POOL = "reactor.netty.connection.provider.";

    private final MeterRegistry meters;
    private final ObservationRegistry observations;
    private final Map<String, List<Meter>> pools = new ConcurrentHashMap<>();

    public ClientListener(MeterRegistry meters, ObservationRegistry observations) {
        this.meters = meters;
        this.observations = observations;
    }

    @Override
    public XnatEventListener exchangeStarted(ExchangeStarted e) {
        Observation parent = e.context().getOrDefault(OBSERVATION_KEY, null);
        if (parent == null) {
            parent = observations.getCurrentObservation();
        }
        String uri = PathTemplates.of(e.path());
        Observation o = Observation.createNotStarted(REQUESTS, observations)
                .contextualName(e.method() + " " + uri)
                .lowCardinalityKeyValue("method", e.method())
                .lowCardinalityKeyValue("uri", uri)
                .parentObservation(parent)
                .start();
        return new Request(o, uri);
    }

    @Override
    public void retryScheduled(RetryScheduled e) {
        retried(e, PathTemplates.of(e.path()));
    }

    @Override
    public void sessionRenewed(SessionRenewed e) {
        renewed();
    }

    @Override
    public void connectionPoolOpened(ConnectionPoolOpened e) {
        if (meters == null) {
            return;
        }
        String[] tags = {"name", e.name(), "id", e.id(), "remote.address", e.remoteAddress()};
        List<Meter> registered = List.of(
                gauge("total.connections", "Open connections, active and idle", e.total(), tags),
                gauge("active.connections", "Connections in use", e.active(), tags),
                gauge("idle.connections", "Open connections not in use", e.idle(), tags),
                gauge("pending.connections", "Requests waiting for a connection", e.pending(), tags),
                gauge("max.connections", "The most connections the pool opens", e.max(), tags));
        pools.put(e.id(), registered);
    }

    @Override
    public void connectionPoolClosed(ConnectionPoolClosed e) {
        List<Meter> registered = pools.remove(e.id());
        if (registered != null && meters != null) {
            registered.forEach(meters::remove);
        }
    }

    private Meter gauge(String name, String description, IntSupplier value, String... tags) {
        return Gauge.builder(POOL + name, value, IntSupplier::getAsInt)
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(meters);
    }

    private void retried(RetryScheduled e, String uri) {
        if (meters != null) {
            Counter.builder("xnat.client.retries")
                    .description("Attempts of requests to XNAT that failed and were tried again")
                    .tags("method", e.method(), "uri", uri, "exception", Tags.exception(e.cause()))
                    .register(meters)
                    .increment();
        }
    }

    private void renewed() {
        if (meters != null) {
            Counter.builder("xnat.client.session.renewals")
                    .description("Logins anew after XNAT rejected the session")
                    .register(meters)
                    .increment();
        }
    }

    /** One request: its observation, stopped when the request ends. */
    private final class Request implements XnatEventListener {
        private final Observation observation;
        private final String uri;

        Request(Observation observation, String uri) {
            this.observation = observation;
            this.uri = uri;
        }

        @Override
        public void retryScheduled(RetryScheduled e) {
            retried(e, uri);
            observation.event(Observation.Event.of("retry", "retry after attempt " + e.attempt()));
        }

        @Override
        public void sessionRenewed(SessionRenewed e) {
            renewed();
        }

        @Override
        public void exchangeFinished(ExchangeFinished e) {
            observation.lowCardinalityKeyValues(KeyValues.of(
                    "status", Tags.status(e.status()),
                    "outcome", Tags.outcome(e.status()),
                    "exception", Tags.exception(e.error())));
            observation.highCardinalityKeyValue("attempts", Integer.toString(e.attempts()));
            if (e.error() != null) {
                observation.error(e.error());
            }
            observation.stop();
        }
    }
}
