package io.github.xnatreactive.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code xnat.*} properties that configure the {@code XnatClient} and {@code BulkClient} beans. Only
 * {@code xnat.url} is required; everything else has the client's own defaults.
 *
 * <p>In {@code application.yaml}, with the secret from the environment:
 * {@code xnat: {url: https://xnat.example.org, user: ingest, password: ${XNAT_PASS}}}; or with an alias token:
 * {@code xnat: {url: ..., token: {alias: ..., secret: ${XNAT_TOKEN_SECRET}}}}. {@link #toString()} never shows a
 * password or a token secret.
 */
@ConfigurationProperties("xnat")
public class XnatProperties {
    /** The XNAT server's URL, with its context path if it has one, e.g. https://xnat.example.org/xnat. */
    private String url;

    /** The user name to log in with (with xnat.password). */
    private String user;

    /** The password of xnat.user. */
    private String password;

    /** Log in with an alias token instead of a password. */
    private final Token token = new Token();

    /** Names your application in the User-Agent header, e.g. nightly-import/1.0. */
    private String applicationId;

    /** How long to wait for a TCP connection. */
    private Duration connectTimeout;

    /** How long to wait for a response's headers (a long download may take longer to stream its body). */
    private Duration responseTimeout;

    /** How often to touch the server session while the client is idle, so that it does not expire; off when unset. */
    private Duration heartbeat;

    /** TLS: the CA or trust store to trust, or (for tests only) trusting every certificate. */
    private final Tls tls = new Tls();

    /** The connection pool. */
    private final Pool pool = new Pool();

    /** How failed requests are retried. */
    private final Retry retry = new Retry();

    /** Bulk transfers (the BulkClient bean). */
    private final Bulk bulk = new Bulk();

    /** The client's metrics and observations. */
    private final Metrics metrics = new Metrics();

    /**
     * The server URL.
     *
     * @return the URL, or null when not set
     */
    public String getUrl() {
        return url;
    }

    /**
     * Sets the server URL.
     *
     * @param url the URL
     */
    public void setUrl(String url) {
        this.url = url;
    }

    /**
     * The user name.
     *
     * @return the user, or null
     */
    public String getUser() {
        return user;
    }

    /**
     * Sets the user name.
     *
     * @param user the user
     */
    public void setUser(String user) {
        this.user = user;
    }

    /**
     * The password.
     *
     * @return the password, or null
     */
    public String getPassword() {
        return password;
    }

    /**
     * Sets the password.
     *
     * @param password the password
     */
    public void setPassword(String password) {
        this.password = password;
    }

    /**
     * The alias token settings.
     *
     * @return the token settings, never null
     */
    public Token getToken() {
        return token;
    }

    /**
     * The application ID for the User-Agent header.
     *
     * @return the ID, or null
     */
    public String getApplicationId() {
        return applicationId;
    }

    /**
     * Sets the application ID.
     *
     * @param applicationId the ID
     */
    public void setApplicationId(String applicationId) {
        this.applicationId = applicationId;
    }

    /**
     * The connect timeout.
     *
     * @return the timeout, or null for the client's default
     */
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /**
     * Sets the connect timeout.
     *
     * @param connectTimeout the timeout
     */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /**
     * The response timeout.
     *
     * @return the timeout, or null for the client's default
     */
    public Duration getResponseTimeout() {
        return responseTimeout;
    }

    /**
     * Sets the response timeout.
     *
     * @param responseTimeout the timeout
     */
    public void setResponseTimeout(Duration responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    /**
     * The heartbeat interval.
     *
     * @return the interval, or null for no heartbeat
     */
    public Duration getHeartbeat() {
        return heartbeat;
    }

    /**
     * Sets the heartbeat interval.
     *
     * @param heartbeat the interval
     */
    public void setHeartbeat(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    /**
     * The TLS settings.
     *
     * @return the TLS settings, never null
     */
    public Tls getTls() {
        return tls;
    }

    /**
     * The pool settings.
     *
     * @return the pool settings, never null
     */
    public Pool getPool() {
        return pool;
    }

    /**
     * The retry settings.
     *
     * @return the retry settings, never null
     */
    public Retry getRetry() {
        return retry;
    }

    /**
     * The bulk transfer settings.
     *
     * @return the bulk settings, never null
     */
    public Bulk getBulk() {
        return bulk;
    }

    /**
     * The metrics settings.
     *
     * @return the metrics settings, never null
     */
    public Metrics getMetrics() {
        return metrics;
    }

    @Override
    public String toString() {
        return "XnatProperties[url=" + url + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", token=" + token + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout
                + ", heartbeat=" + heartbeat + ", pool=" + pool.maxConnections + "]";
    }

    /** An alias token (made in XNAT or with {@code XnatClient.aliasTokens()}): alias and secret. */
    public static class Token {
        /** The token's alias. */
        private String alias;

        /** The token's secret. */
        private String secret;

        /**
         * The alias.
         *
         * @return the alias, or null
         */
        public String getAlias() {
            return alias;
        }

        /**
         * Sets the alias.
         *
         * @param alias the alias
         */
        public void setAlias(String alias) {
            this.alias = alias;
        }

        /**
         * The secret.
         *
         * @return the secret, or null
         */
        public String getSecret() {
            return secret;
        }

        /**
         * Sets the secret.
         *
         * @param secret the secret
         */
        public void setSecret(String secret) {
            this.secret = secret;
        }

        @Override
        public String toString() {
            return alias == null ? "none" : "Token[alias=" + alias + ", secret=***]";
        }
    }

    /** TLS settings. */
    public static class Tls {
        /** A PEM file of CA certificates to trust besides the JVM's. */
        private Path caFile;

        /** A trust store file to trust besides the JVM's. */
        private Path trustStore;

        /** The trust store's password. */
        private String trustStorePassword;

        /** The trust store's type (PKCS12 or JKS); the JVM default when unset. */
        private String trustStoreType;

        /** Trusts every certificate and host name: for tests against self-signed servers only. */
        private boolean insecureTrustAll;

        /**
         * The CA file.
         *
         * @return the file, or null
         */
        public Path getCaFile() {
            return caFile;
        }

        /**
         * Sets the CA file.
         *
         * @param caFile the PEM file
         */
        public void setCaFile(Path caFile) {
            this.caFile = caFile;
        }

        /**
         * The trust store.
         *
         * @return the file, or null
         */
        public Path getTrustStore() {
            return trustStore;
        }

        /**
         * Sets the trust store.
         *
         * @param trustStore the file
         */
        public void setTrustStore(Path trustStore) {
            this.trustStore = trustStore;
        }

        /**
         * The trust store password.
         *
         * @return the password, or null
         */
        public String getTrustStorePassword() {
            return trustStorePassword;
        }

        /**
         * Sets the trust store password.
         *
         * @param trustStorePassword the password
         */
        public void setTrustStorePassword(String trustStorePassword) {
            this.trustStorePassword = trustStorePassword;
        }

        /**
         * The trust store type.
         *
         * @return the type, or null for the JVM default
         */
        public String getTrustStoreType() {
            return trustStoreType;
        }

        /**
         * Sets the trust store type.
         *
         * @param trustStoreType PKCS12 or JKS
         */
        public void setTrustStoreType(String trustStoreType) {
            this.trustStoreType = trustStoreType;
        }

        /**
         * Whether every certificate is trusted.
         *
         * @return false unless set
         */
        public boolean isInsecureTrustAll() {
            return insecureTrustAll;
        }

        /**
         * Sets whether every certificate is trusted (tests only).
         *
         * @param insecureTrustAll true to trust every certificate
         */
        public void setInsecureTrustAll(boolean insecureTrustAll) {
            this.insecureTrustAll = insecureTrustAll;
        }
    }

    /** Connection pool settings. */
    public static class Pool {
        /** The most connections open at once to the server (bulk transfers never move more files at once). */
        private Integer maxConnections;

        /** How long an idle connection stays open. */
        private Duration maxIdleTime;

        /**
         * The pool size.
         *
         * @return the size, or null for the client's default
         */
        public Integer getMaxConnections() {
            return maxConnections;
        }

        /**
         * Sets the pool size.
         *
         * @param maxConnections the size
         */
        public void setMaxConnections(Integer maxConnections) {
            this.maxConnections = maxConnections;
        }

        /**
         * The idle time.
         *
         * @return the time, or null for the client's default
         */
        public Duration getMaxIdleTime() {
            return maxIdleTime;
        }

        /**
         * Sets the idle time.
         *
         * @param maxIdleTime the time
         */
        public void setMaxIdleTime(Duration maxIdleTime) {
            this.maxIdleTime = maxIdleTime;
        }
    }

    /** Retry settings (the client's RetryPolicy). */
    public static class Retry {
        /** Attempts per request, the first included; 1 turns retries off. */
        private Integer maxAttempts;

        /** The wait before the first retry (doubling up to xnat.retry.max-backoff, with jitter). */
        private Duration initialBackoff;

        /** The longest wait between attempts. */
        private Duration maxBackoff;

        /**
         * The attempts per request.
         *
         * @return the attempts, or null for the client's default
         */
        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        /**
         * Sets the attempts per request.
         *
         * @param maxAttempts the attempts, at least 1
         */
        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /**
         * The first backoff.
         *
         * @return the backoff, or null for the client's default
         */
        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        /**
         * Sets the first backoff.
         *
         * @param initialBackoff the backoff
         */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /**
         * The longest backoff.
         *
         * @return the backoff, or null for the client's default
         */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /**
         * Sets the longest backoff.
         *
         * @param maxBackoff the backoff
         */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }
    }

    /** Bulk transfer settings (the BulkClient bean's TransferOptions). */
    public static class Bulk {
        /** Files moving at once to begin with (capped by the pool). */
        private Integer concurrency;

        /** The most files moving at once when adaptive concurrency grows it. */
        private Integer maxConcurrency;

        /** Whether concurrency grows while the server stays healthy. */
        private Boolean adaptive;

        /** Attempts per file. */
        private Integer maxAttempts;

        /** Stop a job at its first failed file instead of reporting failures at the end. */
        private Boolean failFast;

        /**
         * The starting concurrency.
         *
         * @return the concurrency, or null for the default
         */
        public Integer getConcurrency() {
            return concurrency;
        }

        /**
         * Sets the starting concurrency.
         *
         * @param concurrency files at once, at least 1
         */
        public void setConcurrency(Integer concurrency) {
            this.concurrency = concurrency;
        }

        /**
         * The most concurrency.
         *
         * @return the concurrency, or null for the default
         */
        public Integer getMaxConcurrency() {
            return maxConcurrency;
        }

        /**
         * Sets the most concurrency.
         *
         * @param maxConcurrency files at once, at least 1
         */
        public void setMaxConcurrency(Integer maxConcurrency) {
            this.maxConcurrency = maxConcurrency;
        }

        /**
         * Whether concurrency adapts.
         *
         * @return the setting, or null for the default
         */
        public Boolean getAdaptive() {
            return adaptive;
        }

        /**
         * Sets whether concurrency adapts.
         *
         * @param adaptive the setting
         */
        public void setAdaptive(Boolean adaptive) {
            this.adaptive = adaptive;
        }

        /**
         * The attempts per file.
         *
         * @return the attempts, or null for the default
         */
        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        /**
         * Sets the attempts per file.
         *
         * @param maxAttempts the attempts, at least 1
         */
        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /**
         * Whether a job stops at its first failure.
         *
         * @return the setting, or null for the default
         */
        public Boolean getFailFast() {
            return failFast;
        }

        /**
         * Sets whether a job stops at its first failure.
         *
         * @param failFast the setting
         */
        public void setFailFast(Boolean failFast) {
            this.failFast = failFast;
        }
    }

    /** Metrics and observation settings. */
    public static class Metrics {
        /** Whether the client's requests and bulk jobs are recorded into the application's Micrometer registries. */
        private boolean enabled = true;

        /** The job tag of the BulkClient bean's transfers. */
        private String job = "transfer";

        /**
         * Whether metrics are on.
         *
         * @return true unless turned off
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Turns metrics on or off.
         *
         * @param enabled the setting
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * The job tag.
         *
         * @return the tag value
         */
        public String getJob() {
            return job;
        }

        /**
         * Sets the job tag.
         *
         * @param job a fixed name, not an ID
         */
        public void setJob(String job) {
            this.job = job;
        }
    }
}
