package io.github.xnatreactive.spring.boot;

import io.github.xnatreactive.bulk.BulkClient;
import io.github.xnatreactive.bulk.TransferOptions;
import io.github.xnatreactive.core.Credentials;
import io.github.xnatreactive.core.RetryPolicy;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.micrometer.XnatMicrometer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of xnat-reactive: an {@link XnatClient} from the {@code xnat.*} properties
 * ({@link XnatProperties}), a {@link BulkClient} on it, and their metrics and observations into the application's
 * {@link MeterRegistry} and {@link ObservationRegistry} when it has them. Each bean backs off when the application
 * defines its own of the same type. {@link XnatClientBuilderCustomizer} beans change the client's builder.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"
        })
@ConditionalOnClass(XnatClient.class)
@EnableConfigurationProperties(XnatProperties.class)
public class XnatAutoConfiguration {
    /** Made by Spring. */
    public XnatAutoConfiguration() {}

    /**
     * The client's metrics and observations, into the application's registries: counters and gauges into the
     * {@link MeterRegistry}, one observation per request and per bulk job into the {@link ObservationRegistry}
     * (whose meter handler makes the request timers). Off with {@code xnat.metrics.enabled=false}.
     *
     * @param meters the application's meter registry, if any
     * @param observations the application's observation registry, if any
     * @return the instrumentation (it records nothing when the application has neither registry)
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "xnat.metrics.enabled", matchIfMissing = true)
    public XnatMicrometer xnatMicrometer(
            ObjectProvider<MeterRegistry> meters, ObjectProvider<ObservationRegistry> observations) {
        MeterRegistry m = meters.getIfUnique();
        ObservationRegistry o = observations.getIfUnique();
        if (m != null && o != null) {
            return XnatMicrometer.of(m, o);
        }
        if (m != null) {
            return XnatMicrometer.of(m);
        }
        return XnatMicrometer.of(o != null ? o : ObservationRegistry.NOOP);
    }

    /**
     * The client, from the {@code xnat.*} properties; closed (its session ended, its pool freed) with the
     * application context.
     *
     * @param properties the {@code xnat.*} properties
     * @param micrometer the instrumentation, if metrics are on
     * @param customizers changes to the builder, in order
     * @return the client
     * @throws MissingXnatUrlException when {@code xnat.url} is not set
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public XnatClient xnatClient(
            XnatProperties properties,
            ObjectProvider<XnatMicrometer> micrometer,
            ObjectProvider<XnatClientBuilderCustomizer> customizers) {
        XnatClient.Builder b = builder(properties);
        XnatMicrometer m = micrometer.getIfAvailable();
        if (m != null) {
            m.instrument(b);
        }
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    /**
     * The bulk client on the client, with the {@code xnat.bulk.*} options, its jobs instrumented when metrics are on.
     *
     * @param client the client
     * @param properties the {@code xnat.*} properties
     * @param micrometer the instrumentation, if metrics are on
     * @return the bulk client
     */
    @Bean
    @ConditionalOnMissingBean
    public BulkClient bulkClient(
            XnatClient client, XnatProperties properties, ObjectProvider<XnatMicrometer> micrometer) {
        XnatProperties.Bulk p = properties.getBulk();
        TransferOptions o = TransferOptions.defaults();
        if (p.getConcurrency() != null) {
            o = o.concurrency(p.getConcurrency());
        }
        if (p.getMaxConcurrency() != null) {
            o = o.maxConcurrency(p.getMaxConcurrency());
        }
        if (p.getAdaptive() != null) {
            o = o.adaptive(p.getAdaptive());
        }
        if (p.getMaxAttempts() != null) {
            o = o.maxAttempts(p.getMaxAttempts());
        }
        if (p.getFailFast() != null) {
            o = o.failFast(p.getFailFast());
        }
        XnatMicrometer m = micrometer.getIfAvailable();
        if (m != null) {
            o = o.instrument(m.transfers(properties.getMetrics().getJob()));
        }
        return BulkClient.of(client, o);
    }

    /** The builder with the properties applied. */
    static XnatClient.Builder builder(XnatProperties p) {
        if (p.getUrl() == null || p.getUrl().isBlank()) {
            throw new MissingXnatUrlException();
        }
        XnatClient.Builder b = XnatClient.builder().serverUrl(p.getUrl()).credentials(credentials(p));
        if (p.getApplicationId() != null) {
            b.applicationId(p.getApplicationId());
        }
        if (p.getConnectTimeout() != null) {
            b.connectTimeout(p.getConnectTimeout());
        }
        if (p.getResponseTimeout() != null) {
            b.responseTimeout(p.getResponseTimeout());
        }
        if (p.getHeartbeat() != null) {
            b.heartbeat(p.getHeartbeat());
        }
        XnatProperties.Pool pool = p.getPool();
        if (pool.getMaxConnections() != null) {
            b.maxConnections(pool.getMaxConnections());
        }
        if (pool.getMaxIdleTime() != null) {
            b.maxIdleTime(pool.getMaxIdleTime());
        }
        XnatProperties.Retry r = p.getRetry();
        if (r.getMaxAttempts() != null || r.getInitialBackoff() != null || r.getMaxBackoff() != null) {
            RetryPolicy policy = RetryPolicy.defaults();
            if (r.getMaxAttempts() != null) {
                policy = policy.maxAttempts(r.getMaxAttempts());
            }
            if (r.getInitialBackoff() != null) {
                policy = policy.initialBackoff(r.getInitialBackoff());
            }
            if (r.getMaxBackoff() != null) {
                policy = policy.maxBackoff(r.getMaxBackoff());
            }
            b.retryPolicy(policy);
        }
        XnatProperties.Tls tls = p.getTls();
        if (tls.getCaFile() != null) {
            b.caFile(tls.getCaFile());
        }
        if (tls.getTrustStore() != null) {
            String pw = tls.getTrustStorePassword();
            b.trustStore(tls.getTrustStore(), pw == null ? null : pw.toCharArray(), tls.getTrustStoreType());
        }
        if (tls.isInsecureTrustAll()) {
            b.insecureTrustAll();
        }
        return b;
    }

    /** An alias token when one is set, else the user and password, else anonymous access. */
    static Credentials credentials(XnatProperties p) {
        XnatProperties.Token t = p.getToken();
        if (t.getAlias() != null) {
            if (t.getSecret() == null) {
                throw new IllegalStateException("xnat.token.alias is set but xnat.token.secret is not");
            }
            return Credentials.aliasToken(t.getAlias(), t.getSecret());
        }
        if (p.getUser() != null) {
            if (p.getPassword() == null) {
                throw new IllegalStateException("xnat.user is set but xnat.password is not");
            }
            return Credentials.password(p.getUser(), p.getPassword());
        }
        return Credentials.anonymous();
    }
}
