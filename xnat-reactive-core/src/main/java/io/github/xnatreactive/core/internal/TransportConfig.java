package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.RetryPolicy;
import io.github.xnatreactive.core.XnatEventListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import reactor.core.scheduler.Scheduler;
import reactor.netty.http.client.HttpClient;

/** Everything the transport needs, resolved by the client builder. {@link #toString()} shows no secret. */
public record TransportConfig(
        String baseUrl,
        Auth auth,
        Duration connectTimeout,
        Duration responseTimeout,
        int maxConnections,
        Duration maxIdleTime,
        String userAgent,
        RetryPolicy retry,
        Duration heartbeat,
        Path caFile,
        Path trustStore,
        char[] trustStorePassword,
        String trustStoreType,
        boolean insecureTrustAll,
        UnaryOperator<HttpClient> proxy,
        XnatEventListener eventListener,
        Scheduler scheduler,
        long unlistedDownloadLimit) {

    /** How to authenticate. */
    public enum AuthKind {
        PASSWORD,
        ALIAS_TOKEN,
        SESSION,
        ANONYMOUS
    }

    /** Credentials as the transport sees them. */
    public record Auth(AuthKind kind, String user, String secret) {
        String describeUser() {
            return switch (kind) {
                case PASSWORD -> "user '" + user + "'";
                case ALIAS_TOKEN -> "an alias token";
                default -> "the session";
            };
        }

        @Override
        public String toString() {
            return "Auth[" + kind + (kind == AuthKind.PASSWORD ? ", user=" + user : "") + "]";
        }
    }

    public boolean secure() {
        return baseUrl.regionMatches(true, 0, "https:", 0, 6);
    }

    @Override
    public String toString() {
        return "TransportConfig[" + baseUrl + ", " + auth + ", connectTimeout=" + connectTimeout
                + ", responseTimeout=" + responseTimeout + ", maxConnections=" + maxConnections + ", maxIdleTime="
                + maxIdleTime + ", retry=" + retry + ", insecureTrustAll=" + insecureTrustAll + "]";
    }
}
