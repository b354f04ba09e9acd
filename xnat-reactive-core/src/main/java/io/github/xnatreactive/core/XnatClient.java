package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.BodyReaders;
import io.github.xnatreactive.core.internal.ConfigSources;
import io.github.xnatreactive.core.internal.Request;
import io.github.xnatreactive.core.internal.Transport;
import io.github.xnatreactive.core.internal.TransportConfig;
import io.github.xnatreactive.core.internal.Uris;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.transport.ProxyProvider;
import tools.jackson.databind.JsonNode;

/**
 * A reactive client for one XNAT server. Immutable and thread-safe; create one per server and share it. It logs in
 * once, shares one server session across all requests, logs in again (once, for all requests in flight) when the
 * session expires, and ends the session on {@link #close()}.
 *
 * <pre>{@code
 * List<String> labels;
 * try (XnatClient xnat = XnatClient.builder()
 *         .serverUrl(url) // e.g. https://xnat.example.org, or https://host/xnat with a context path
 *         .credentials(Credentials.password(user, password))
 *         .build()) {
 *     labels = xnat.project("P1").subjects().map(Subject::label).collectList().block();
 * }
 * }</pre>
 *
 * Every method returns a cold {@link Mono} or {@link Flux}: nothing is sent until it is subscribed, and each
 * subscription sends the request again. Errors arrive as error signals, never as exceptions thrown by the method
 * itself (except {@link IllegalArgumentException} for arguments that can never be valid): an
 * {@link XnatHttpException} subtype for an error status ({@link XnatNotFoundException} for 404,
 * {@link XnatAuthenticationException} for 401...), {@link XnatProtocolException} for a reply of the wrong shape.
 */
public final class XnatClient implements AutoCloseable {
    /** The default of {@link Builder#unlistedDownloadLimit(long)}: 64 GiB. */
    public static final long DEFAULT_UNLISTED_DOWNLOAD_LIMIT = 64L << 30;

    private final Transport transport;
    private final String baseUrl;

    private XnatClient(TransportConfig cfg) {
        this.transport = new Transport(cfg);
        this.baseUrl = cfg.baseUrl();
    }

    /**
     * Starts configuring a client.
     *
     * @return a new builder with every setting at its default; only the server URL and the credentials must be set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The server this client talks to.
     *
     * @return the server URL, context path included, without a trailing slash (e.g. {@code https://host/xnat})
     */
    public String serverUrl() {
        return baseUrl;
    }

    Transport transport() {
        return transport;
    }

    // ------------------------------------------------------------------ entry points

    /**
     * Lists every project the user can see ({@code GET /data/projects}).
     *
     * @return the projects, in the server's order, with the server's default columns
     */
    public Flux<Project> projects() {
        return projects(ListOptions.of());
    }

    /**
     * Lists the projects the user can see, with server-side columns, filters, sorting or paging.
     *
     * @param options columns, filters, sorting and paging; {@link ListOptions#of()} for none
     * @return the matching projects; extra columns asked for are in {@link Project#columns()}
     */
    public Flux<Project> projects(ListOptions options) {
        return rows("/data/projects", "/data/projects", options.toParams()).map(Project::from);
    }

    /**
     * Names a project. No I/O: the project need not exist (see {@link ProjectRef#exists()} and
     * {@link ProjectRef#create()}).
     *
     * @param id the project's ID or one of its aliases
     * @return a ref to the project
     * @throws IllegalArgumentException when {@code id} is empty, {@code .} or {@code ..} (never a valid name, and it
     *     would climb the URL); every ref's child methods refuse those names too
     */
    public ProjectRef project(String id) {
        return new ProjectRef(this, id);
    }

    /**
     * XNAT's import service: DICOM archives, directories or files, which XNAT turns into sessions in the prearchive
     * or the archive. No I/O until a returned publisher is subscribed.
     *
     * @return the importer of this client
     */
    public Importer importer() {
        return new Importer(this);
    }

    /**
     * The prearchive, where imported sessions wait to be archived. No I/O until a returned publisher is subscribed.
     *
     * @return the prearchive of this client
     */
    public Prearchive prearchive() {
        return new Prearchive(this);
    }

    /**
     * The site's users: listing, records, creating and disabling them (site administrators), and the projects the
     * user can read. No I/O.
     *
     * @return the users API of this client
     */
    public Users users() {
        return new Users(this);
    }

    /**
     * Alias tokens: issue one for a script or service instead of a password, check one, end one. No I/O.
     *
     * @return the alias token API of this client
     */
    public AliasTokens aliasTokens() {
        return new AliasTokens(this);
    }

    /**
     * Lists every experiment (sessions and assessors) the user can read, across projects:
     * {@code GET /data/experiments}.
     *
     * @return the experiments with the server's default columns
     */
    public Flux<Experiment> experiments() {
        return experiments(ListOptions.of());
    }

    /**
     * Lists the experiments the user can read across projects, with server-side columns, filters, type, sorting
     * or paging.
     *
     * @param options columns, filters, type, sorting and paging; {@link ListOptions#of()} for none
     * @return the matching experiments
     */
    public Flux<Experiment> experiments(ListOptions options) {
        return rows("/data/experiments", "/data/experiments", options.toParams())
                .map(Experiment::from);
    }

    /**
     * Names an experiment by accession ID, without its project. No I/O. Enough to read, update, delete or download
     * it; to create one, go through {@link SubjectRef#experiment(String)}.
     *
     * @param accessionId the site-wide ID, e.g. {@code XNAT_E00001} (not the label)
     * @return a ref to the experiment; its {@link ExperimentRef#subject()} is null
     * @throws IllegalArgumentException when {@code accessionId} is empty, {@code .} or {@code ..}
     */
    public ExperimentRef experiment(String accessionId) {
        return new ExperimentRef(
                this, "/data/experiments/" + Uris.segment(accessionId), "/data/experiments/{id}", accessionId, null);
    }

    /**
     * Expands a pyxnat-style path into refs, listing the server where the path has wildcards: {@code /projects},
     * {@code /projects/P1/subjects/*}{@code /experiments}, {@code /project/P*}{@code /subject/S1/experiment/MR1/scans}.
     * Levels may be singular or plural; a level without an ID means all of them; {@code *} and {@code ?} match IDs
     * and labels.
     *
     * @param path the path, with or without a leading {@code /data} or {@code /REST}
     * @return the refs the path names, in listing order: {@link ProjectRef}s, {@link SubjectRef}s... according to
     *     the path's last level; listings happen only while the flux is consumed
     * @throws IllegalArgumentException for a path that does not follow the archive hierarchy, or names a level
     *     {@code .} or {@code ..} (thrown when called, or signalled). A {@code .} or {@code ..} name in the server's
     *     listing is signalled as an {@link XnatProtocolException} naming its parent, and never requested
     */
    public Flux<ArchiveRef> select(String path) {
        return Select.expand(this, path);
    }

    /**
     * What the server tells about itself: full build information, uptime, plugins, scanners and scan types. No I/O.
     *
     * @return the server information calls of this client
     */
    public ServerInfo serverInfo() {
        return new ServerInfo(this);
    }

    /**
     * XNAT's search engine: ad-hoc searches streamed row by row, cached results read by page, stored searches, and
     * the data types and fields the server knows. No I/O until one of its publishers is subscribed.
     *
     * @return the search engine of this client
     */
    public io.github.xnatreactive.core.search.Search search() {
        return io.github.xnatreactive.core.search.Search.of(this);
    }

    /**
     * The server's XNAT version: {@code /data/version} when the server has it, else
     * {@code /xapi/siteConfig/buildInfo}'s {@code version}.
     *
     * @return the version string, e.g. {@code 1.8.11}; {@link XnatProtocolException} when neither place has one
     */
    public Mono<String> version() {
        return transport
                .text(Request.get("/data/version").build())
                .map(String::strip)
                .onErrorResume(XnatNotFoundException.class, e -> transport
                        .json(Request.get("/xapi/siteConfig/buildInfo").build())
                        .map(n -> {
                            String v = n.path("version").asString("");
                            if (v.isEmpty()) {
                                throw new XnatProtocolException("buildInfo carries no version");
                            }
                            return v;
                        }));
    }

    /**
     * A raw call, like pyxnat's {@code get/put/post/delete}: {@code method} on {@code path} (under the server URL,
     * e.g. {@code /data/projects/P1/prearchive_code}) with query parameters; returns the body of a 2xx reply as
     * text. Errors map to the exception tree like every other call. GET, PUT and DELETE are retried when safe; a
     * POST is never replayed once it was sent. For headers, a body or another reply type use
     * {@link #request(XnatRequest)}.
     *
     * @param method an HTTP method such as {@code GET} (case-insensitive)
     * @param path the path under the server URL, starting with {@code /}; a query string written into it
     *     ({@code ?format=json}) is decoded and sent with {@code params}
     * @param params more query parameters (values are encoded; null values are left out), empty for none
     * @return the body of the 2xx reply as UTF-8 text, {@code ""} when it is empty
     * @throws IllegalArgumentException when {@code path} does not start with {@code /}
     */
    public Mono<String> request(String method, String path, Map<String, String> params) {
        Objects.requireNonNull(path, "path");
        int q = path.indexOf('?');
        XnatRequest r = XnatRequest.of(method, q < 0 ? path : path.substring(0, q));
        if (q >= 0) {
            // a query written into the path, as this method has always accepted
            for (String pair : path.substring(q + 1).split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    r = r.query(
                            decode(eq < 0 ? pair : pair.substring(0, eq)),
                            eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
        }
        return request(r.query(params)).text();
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A raw request for what the typed API does not cover, with the client's session, retries and error mapping;
     * choose how to read the reply on the returned {@link XnatCall}. Here, files put into a project resource's
     * folder behind XNAT's back are added to its catalog, as {@link ResourceRef#refreshCatalog(RefreshOptions)}
     * does:
     *
     * <pre>{@code
     * xnat.request(XnatRequest.post("/data/services/refresh/catalog")
     *                 .query("resource", "/archive/projects/LAB/resources/DOCS")
     *                 .query("options", "append"))
     *         .discard()
     *         .block();
     * }</pre>
     *
     * @param request the request to send, not null
     * @return a call that sends it each time one of its publishers is subscribed; nothing is sent before
     */
    public XnatCall request(XnatRequest request) {
        return new XnatCall(transport, Objects.requireNonNull(request, "request"));
    }

    /**
     * A per-operation response timeout (the longest wait for the next bytes of a reply), for calls that need
     * longer than the client's default:
     *
     * <pre>{@code
     * UploadResult result = resource.uploadArchive(zip, UploadOptions.defaults())
     *         .contextWrite(XnatClient.responseTimeout(Duration.ofMinutes(10)))
     *         .block();
     * }</pre>
     *
     * @param timeout the longest wait for the next bytes of each reply within the operation; positive
     * @return a function for {@code contextWrite} on the operation's {@link Mono} or {@link Flux}
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
     */
    public static java.util.function.Function<reactor.util.context.Context, reactor.util.context.Context>
            responseTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        return ctx -> ctx.put(Transport.RESPONSE_TIMEOUT_KEY, timeout);
    }

    /**
     * Tells {@code listener} of every retry of the requests made inside the operation (the failure that caused
     * it: a {@link XnatServerException} for a 503, an I/O error...). The bulk engine uses it to back off.
     *
     * <pre>{@code
     * List<Throwable> retries = new CopyOnWriteArrayList<>();
     * Path local = file.download(target).contextWrite(XnatClient.onRetry(retries::add)).block();
     * }</pre>
     *
     * @param listener called with the failure before each retry, on a transfer thread; it must not block
     * @return a function for {@code contextWrite} on the operation's {@link Mono} or {@link Flux}
     */
    public static java.util.function.Function<reactor.util.context.Context, reactor.util.context.Context> onRetry(
            java.util.function.Consumer<Throwable> listener) {
        Objects.requireNonNull(listener);
        return ctx -> ctx.put(Transport.RETRY_LISTENER_KEY, listener);
    }

    /**
     * Replaces the client's {@link RetryPolicy} for the requests made inside the operation. A caller that owns
     * the attempts (the bulk engine retries whole file transfers) switches the client's own retries off with
     * {@link RetryPolicy#none()}, so that attempts do not multiply across layers. The shared login keeps the
     * client's policy. For example {@code file.download(target).contextWrite(XnatClient.retryPolicy(RetryPolicy.none()))}
     * makes exactly one attempt.
     *
     * @param policy the policy for the requests of the operation; not null
     * @return a context modifier for {@code contextWrite}
     */
    public static java.util.function.Function<reactor.util.context.Context, reactor.util.context.Context> retryPolicy(
            RetryPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return ctx -> ctx.put(Transport.RETRY_POLICY_KEY, policy);
    }

    /**
     * The scheduler the client waits on (retry backoff, {@code Retry-After}, the heartbeat), as set by
     * {@link Builder#scheduler(reactor.core.scheduler.Scheduler)}. Layers built on the client, such as the bulk
     * engine, wait and read the time on it too, so that a test with virtual time controls all of them.
     *
     * @return the client's scheduler; {@code Schedulers.parallel()} unless one was set
     */
    public reactor.core.scheduler.Scheduler scheduler() {
        return transport.config().scheduler();
    }

    /**
     * The size of the client's connection pool, as set by {@link Builder#maxConnections(int)}.
     *
     * @return the most requests this client has in flight at once
     */
    public int maxConnections() {
        return transport.maxConnections();
    }

    // ------------------------------------------------------------------ shared plumbing for refs

    Flux<Map<String, String>> rows(String path, String template, Map<String, String> params) {
        Request req = Request.get(path)
                .template(template)
                .params(params)
                .param("format", "json")
                .build();
        return transport.rows(req);
    }

    static JsonNode parseJson(String text, String what) {
        return BodyReaders.parseJson(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), what);
    }

    /** Ends the server session and frees the connection pool. Waits up to about 15 seconds. */
    @Override
    public void close() {
        closeAsync().block(Duration.ofSeconds(15));
    }

    /**
     * Non-blocking {@link #close()}: ends the server session, then frees the connection pool.
     *
     * @return completes when the client is closed; subscribing again after that does nothing
     */
    public Mono<Void> closeAsync() {
        return transport.close();
    }

    @Override
    public String toString() {
        return "XnatClient[" + baseUrl + "]";
    }

    /**
     * Configures a client. Every setting has a safe default except the server URL and the credentials. Not
     * thread-safe. Invalid values fail at once with {@link IllegalArgumentException}.
     *
     * <pre>{@code
     * XnatClient xnat = XnatClient.builder()
     *         .serverUrl(url)
     *         .credentials(Credentials.aliasToken(alias, secret))
     *         .maxConnections(32)
     *         .responseTimeout(Duration.ofMinutes(2))
     *         .retryPolicy(RetryPolicy.defaults().maxAttempts(6))
     *         .applicationId("nightly-import/1.0")
     *         .build();
     * }</pre>
     *
     * Or from where pyxnat and the command line keep the settings ({@link #fromEnvironment()} reads
     * {@code XNAT_HOST}, {@code XNAT_USER}, {@code XNAT_PASS} and {@code $NETRC} or {@code $HOME/.netrc}).
     * {@link Builder#pyxnatConfig(Path)} and {@link Builder#savePyxnatConfig(Path)} take a leading {@code ~} from the
     * home directory, as pyxnat does; elsewhere Java does not expand {@code ~}: resolve paths against the home
     * directory.
     *
     * <pre>{@code
     * Path home = Path.of(System.getProperty("user.home"));
     * XnatClient fromPyxnat = XnatClient.builder().pyxnatConfig(home.resolve(".xnat.cfg")).build();
     * }</pre>
     */
    public static final class Builder {
        private String serverUrl;
        private Credentials credentials;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration responseTimeout = Duration.ofSeconds(60);
        private int maxConnections = 16;
        private long unlistedDownloadLimit = DEFAULT_UNLISTED_DOWNLOAD_LIMIT;
        private Duration maxIdleTime = Duration.ofSeconds(15);
        private RetryPolicy retry = RetryPolicy.defaults();
        private Duration heartbeat;
        private Path caFile;
        private Path trustStore;
        private char[] trustStorePassword;
        private String trustStoreType;
        private boolean insecureTrustAll;
        private UnaryOperator<HttpClient> proxy;
        private ConfigSources.ProxyUrl proxySettings;
        private XnatEventListener eventListener = XnatEventListener.NONE;
        private reactor.core.scheduler.Scheduler scheduler = reactor.core.scheduler.Schedulers.parallel();
        private String applicationId;
        private Map<String, String> env = System.getenv();
        private Path home = defaultHome(System.getenv());

        private Builder() {}

        /**
         * Sets the server. A URL without a scheme gets {@code https://}; trailing slashes and a trailing
         * {@code /data} or {@code /REST} are removed.
         *
         * @param url the server's URL, e.g. {@code https://xnat.example.org} or {@code https://host/xnat} (with a
         *     context path)
         * @return this builder
         * @throws IllegalArgumentException when the scheme is neither http nor https, or the URL has user info
         *     (put credentials in {@link #credentials(Credentials)})
         */
        public Builder serverUrl(String url) {
            Objects.requireNonNull(url, "url");
            String u = url.strip();
            if (!u.contains("://")) {
                u = "https://" + u;
            }
            String shown = Uris.withoutUserInfo(u);
            if (!shown.equals(u)) {
                throw new IllegalArgumentException(
                        "Put credentials in credentials(...), not in the server URL: " + shown);
            }
            URI parsed;
            try {
                parsed = new URI(u);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(
                        "Not a valid server URL (" + e.getReason() + " at index " + e.getIndex() + "): " + shown);
            }
            String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("The server URL must be http or https: " + shown);
            }
            while (u.endsWith("/")) {
                u = u.substring(0, u.length() - 1);
            }
            if (u.endsWith("/data") || u.endsWith("/REST")) {
                u = u.substring(0, u.length() - 5);
            }
            this.serverUrl = u;
            return this;
        }

        /**
         * Sets how the client logs in.
         *
         * @param credentials a password, an alias token, an existing session or anonymous; not null
         * @return this builder
         */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials);
            return this;
        }

        /**
         * Takes what is not set yet from {@code XNAT_HOST}, {@code XNAT_USER} and {@code XNAT_PASS}, then from
         * the netrc file (the entry for the server's host): {@code $NETRC}, else {@code .netrc} in {@code $HOME}
         * (else in Java's {@code user.home}). Settings made before are kept.
         *
         * @return this builder
         * @throws java.io.UncheckedIOException when {@code ~/.netrc} exists but cannot be read
         */
        public Builder fromEnvironment() {
            ConfigSources.Found f = ConfigSources.environment(env);
            if (serverUrl == null && f.server() != null) {
                serverUrl(f.server());
            }
            if (credentials == null && f.user() != null && f.password() != null) {
                credentials = Credentials.password(f.user(), f.password());
            }
            if (credentials == null) {
                String file = env.get("NETRC");
                netrc(file != null && !file.isBlank() ? Path.of(file) : home.resolve(".netrc"));
            }
            return this;
        }

        /** {@code $HOME} (containers and batch jobs set a temporary one), else Java's {@code user.home}. */
        private static Path defaultHome(Map<String, String> env) {
            String h = env.get("HOME");
            return Path.of(h != null && !h.isBlank() ? h : System.getProperty("user.home", "."));
        }

        /**
         * Takes the login and password for the server's host from a netrc file, if it has them and no credentials
         * were set before. Set the server URL first: the entry is chosen by its host.
         *
         * @param file the netrc file; a missing file is not an error
         * @return this builder
         * @throws java.io.UncheckedIOException when the file exists but cannot be read
         */
        public Builder netrc(Path file) {
            try {
                ConfigSources.Found f = ConfigSources.netrc(file, serverUrl);
                if (credentials == null && f != null && f.user() != null && f.password() != null) {
                    credentials = Credentials.password(f.user(), f.password());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
            return this;
        }

        /**
         * Reads pyxnat's JSON configuration ({@code {"server":..,"user":..,"password":..,"verify":..,"proxy":..}});
         * its values override what was set before, as in pyxnat. {@code "verify": false} turns TLS verification
         * off; {@code "proxy": "http://user:pw@host:port"} sends every request through that HTTP proxy. A path
         * starting with {@code ~} is taken from the home directory, as pyxnat does.
         *
         * @param file the configuration file, e.g. {@code Path.of("~/.xnat.cfg")}
         * @return this builder
         * @throws java.io.UncheckedIOException when the file does not exist, cannot be read or is not a JSON object
         * @throws IllegalArgumentException when its {@code proxy} is not a URL with a host
         */
        public Builder pyxnatConfig(Path file) {
            try {
                ConfigSources.PyxnatConfig f = ConfigSources.pyxnatConfig(ConfigSources.expandHome(file, home));
                if (f.server() != null) {
                    serverUrl(f.server());
                }
                if (f.user() != null && f.password() != null) {
                    credentials = Credentials.password(f.user(), f.password());
                }
                if (Boolean.FALSE.equals(f.verify())) {
                    insecureTrustAll = true;
                }
                if (f.proxy() != null) {
                    ConfigSources.ProxyUrl p = ConfigSources.proxyUrl(f.proxy());
                    proxy(p.host(), p.port(), p.user(), p.password());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            return this;
        }

        /**
         * Writes this builder's settings as pyxnat's JSON configuration, as pyxnat's {@code save_config} does, so
         * that pyxnat ({@code Interface(config=path)}) and {@link #pyxnatConfig(Path)} read them back: server, user,
         * password (in clear, as pyxnat keeps it), {@code "verify": false} after {@link #insecureTrustAll()}, and
         * the proxy as a URL. The file is readable by its owner only (on POSIX file systems), missing folders are
         * created, a path starting with {@code ~} is taken from the home directory, and an existing file is replaced
         * only once the new one is complete.
         *
         * @param file where to write, e.g. {@code Path.of("~/.xnat.cfg")}
         * @return this builder
         * @throws IllegalStateException when no server URL or no password credentials are set (pyxnat cannot save an
         *     anonymous configuration either)
         * @throws java.io.UncheckedIOException when the file cannot be written
         */
        public Builder savePyxnatConfig(Path file) {
            if (serverUrl == null || credentials == null || credentials.kind() != Credentials.Kind.PASSWORD) {
                throw new IllegalStateException("A pyxnat configuration needs a server URL and a user and password");
            }
            String proxyUrl = null;
            if (proxySettings != null) {
                ConfigSources.ProxyUrl p = proxySettings;
                String login = p.user() == null
                        ? ""
                        : encode(p.user()) + (p.password() == null ? "" : ":" + encode(p.password())) + "@";
                proxyUrl = "http://" + login + p.host() + ":" + p.port();
            }
            Path target = ConfigSources.expandHome(file, home);
            try {
                ConfigSources.writePyxnatConfig(
                        target,
                        new ConfigSources.PyxnatConfig(
                                serverUrl,
                                credentials.user(),
                                credentials.secret(),
                                insecureTrustAll ? Boolean.FALSE : null,
                                proxyUrl));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + target, e);
            }
            return this;
        }

        private static String encode(String s) {
            return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20");
        }

        /**
         * Sets the environment and home directory that {@link #fromEnvironment()} reads instead of the real ones
         * (for tests and sandboxes). Call it before {@link #fromEnvironment()}.
         *
         * @param env the variables to read {@code XNAT_HOST}, {@code XNAT_USER} and {@code XNAT_PASS} from (copied)
         * @param home the directory whose {@code .netrc} is read (unless {@code env} has {@code NETRC})
         * @return this builder
         */
        public Builder environment(Map<String, String> env, Path home) {
            this.env = Map.copyOf(env);
            this.home = Objects.requireNonNull(home);
            return this;
        }

        /**
         * Sets the longest wait for a TCP (and TLS) connection to be made; 10 s by default.
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /**
         * Sets the longest wait for the next bytes of a response (not a total); 60 s by default. One operation can
         * wait longer with {@link XnatClient#responseTimeout(Duration)}.
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder responseTimeout(Duration d) {
            this.responseTimeout = positive(d, "responseTimeout");
            return this;
        }

        /**
         * Sets the most bytes a file download reads when neither the caller nor the server says how long the file
         * is (no expected size, no {@code Content-Length}); 64 GiB by default. A body that goes on past it fails
         * with an {@link XnatIntegrityException} and leaves nothing behind, so that a server sending without end
         * cannot fill the disk. With a known size, reading stops at that size whatever this says.
         *
         * @param bytes the ceiling, at least 1
         * @return this builder
         */
        public Builder unlistedDownloadLimit(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("unlistedDownloadLimit must be >= 1");
            }
            this.unlistedDownloadLimit = bytes;
            return this;
        }

        /**
         * Sets the connection pool size; 16 by default. Requests beyond it wait for a free connection, and bulk
         * transfers never run more files than this at once.
         *
         * @param n the most connections, at least 1
         * @return this builder
         */
        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections must be >= 1");
            }
            this.maxConnections = n;
            return this;
        }

        /**
         * Sets the idle time after which a pooled connection is closed; 15 s by default, below Tomcat's 20 s so
         * that the client, not the server, closes idle connections.
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder maxIdleTime(Duration d) {
            this.maxIdleTime = positive(d, "maxIdleTime");
            return this;
        }

        /**
         * Sets when failed requests are retried; {@link RetryPolicy#defaults()} by default.
         *
         * @param policy the policy; {@link RetryPolicy#none()} to never retry
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy);
            return this;
        }

        /**
         * Touches the server session this often so that long jobs do not see it expire. Off by default.
         *
         * @param every a positive interval, shorter than the server's session timeout (15 minutes on XNAT)
         * @return this builder
         */
        public Builder heartbeat(Duration every) {
            this.heartbeat = positive(every, "heartbeat");
            return this;
        }

        /**
         * Trusts the CA certificates in this file instead of the JVM's. Read when {@link #build()} runs.
         *
         * @param pem a file of PEM certificates
         * @return this builder
         */
        public Builder caFile(Path pem) {
            this.caFile = Objects.requireNonNull(pem);
            return this;
        }

        /**
         * Trusts the certificates in this key store instead of the JVM's. Read when {@link #build()} runs.
         *
         * @param file the key store file
         * @param password its password (copied), or null when it has none
         * @param type {@code JKS}, {@code PKCS12}..., or null for the JVM's default type
         * @return this builder
         */
        public Builder trustStore(Path file, char[] password, String type) {
            this.trustStore = Objects.requireNonNull(file);
            this.trustStorePassword = password == null ? null : password.clone();
            this.trustStoreType = type;
            return this;
        }

        /**
         * Accepts any TLS certificate. Dangerous; for lab servers with self-signed certificates. Logs a WARN.
         *
         * @return this builder
         */
        public Builder insecureTrustAll() {
            this.insecureTrustAll = true;
            return this;
        }

        /**
         * Sends every request through an HTTP proxy that needs no login.
         *
         * @param host the proxy's host name or address
         * @param port the proxy's port
         * @return this builder
         */
        public Builder proxy(String host, int port) {
            return proxy(host, port, null, null);
        }

        /**
         * Sends every request through an HTTP proxy, logging in to it when {@code user} is given.
         *
         * @param host the proxy's host name or address
         * @param port the proxy's port
         * @param user the proxy login, or null for none
         * @param password the proxy password (used only with {@code user})
         * @return this builder
         */
        public Builder proxy(String host, int port, String user, String password) {
            Objects.requireNonNull(host);
            this.proxySettings = new ConfigSources.ProxyUrl(host, port, user, password);
            this.proxy = c -> c.proxy(p -> {
                ProxyProvider.Builder b =
                        p.type(ProxyProvider.Proxy.HTTP).host(host).port(port);
                if (user != null) {
                    b.username(user).password(u -> password);
                }
            });
            return this;
        }

        /**
         * Told of every request, response, failure and retry (for metrics, tracing, tests). Callbacks run on the
         * thread that saw the event, often a Netty event loop: they must be quick and must not block. An exception
         * a callback throws is logged and ignored. None ({@link XnatEventListener#NONE}) by default.
         *
         * <pre>{@code
         * List<String> retries = new CopyOnWriteArrayList<>();
         * XnatClient xnat = builder.eventListener(new XnatEventListener() {
         *             public void retryScheduled(RetryScheduled e) {
         *                 retries.add(e.method() + " " + e.path() + " in " + e.delay().toMillis() + " ms");
         *             }
         *         })
         *         .build();
         * }</pre>
         *
         * @param listener the listener, not null; one per client (a later call replaces it)
         * @return this builder
         */
        public Builder eventListener(XnatEventListener listener) {
            this.eventListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The scheduler the client waits on: retry backoff, {@code Retry-After}, the heartbeat.
         * {@code Schedulers.parallel()} by default; tests pass a {@code VirtualTimeScheduler} to move time on
         * without waiting. A retry's wait is on the scheduler before {@link XnatEventListener#retryScheduled} is
         * called, so a test can advance the time as soon as it hears of the retry:
         *
         * <pre>{@code
         * VirtualTimeScheduler time = VirtualTimeScheduler.create();
         * XnatClient xnat = builder.scheduler(time).build();
         * CompletableFuture<List<Project>> projects = xnat.projects().collectList().toFuture();
         * retryScheduled.await(); // a latch the builder's XnatEventListener counts down: a 503 with Retry-After: 30
         * time.advanceTimeBy(Duration.ofSeconds(30)); // the 30 s wait passes at once
         * List<Project> listed = projects.join();
         * }</pre>
         *
         * @param scheduler the scheduler for the client's waits, not null; the client does not dispose of it
         * @return this builder
         */
        public Builder scheduler(reactor.core.scheduler.Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Names your application in the User-Agent header, after {@code xnat-reactive/VERSION (Java/VERSION)}, so
         * that server logs show who calls.
         *
         * @param id e.g. {@code nightly-import/1.0}, or null for none
         * @return this builder
         */
        public Builder applicationId(String id) {
            this.applicationId = id;
            return this;
        }

        /**
         * Builds the client. No request is sent yet: the client logs in with the first request.
         *
         * @return a new client; close it when done
         * @throws IllegalStateException when no server URL or no credentials were set
         */
        public XnatClient build() {
            if (serverUrl == null) {
                throw new IllegalStateException("No server URL: call serverUrl(...) or set XNAT_HOST");
            }
            Credentials c = credentials;
            if (c == null) {
                throw new IllegalStateException("No credentials: call credentials(...) (Credentials.anonymous() for"
                        + " guest access) or set XNAT_USER and XNAT_PASS");
            }
            TransportConfig.Auth auth = new TransportConfig.Auth(
                    TransportConfig.AuthKind.valueOf(c.kind().name()), c.user(), c.secret());
            String ua = "xnat-reactive/" + Version.VALUE + " (Java/" + System.getProperty("java.version") + ")"
                    + (applicationId == null ? "" : " " + applicationId);
            return new XnatClient(new TransportConfig(
                    serverUrl,
                    auth,
                    connectTimeout,
                    responseTimeout,
                    maxConnections,
                    maxIdleTime,
                    ua,
                    retry,
                    heartbeat,
                    caFile,
                    trustStore,
                    trustStorePassword,
                    trustStoreType,
                    insecureTrustAll,
                    proxy,
                    eventListener,
                    scheduler,
                    unlistedDownloadLimit));
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
