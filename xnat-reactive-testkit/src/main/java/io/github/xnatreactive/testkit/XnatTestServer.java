package io.github.xnatreactive.testkit;

import io.github.xnatreactive.testkit.internal.Faults;
import io.github.xnatreactive.testkit.internal.Router;
import io.github.xnatreactive.testkit.internal.Seeder;
import io.github.xnatreactive.testkit.internal.Sessions;
import io.github.xnatreactive.testkit.internal.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * An XNAT-compatible server for tests: the classic REST API ({@code /data}, {@code /REST}) as described in the
 * project's REST contract, on Reactor Netty, with metadata in memory and file bytes on disk.
 *
 * <pre>{@code
 * List<String> sessions;
 * try (XnatTestServer server = XnatTestServer.builder()
 *                 .user("admin", "admin")
 *                 .seed(SeedSpec.parse("DEMO:1x2x3x4x4K")) // 1 subject, 2 sessions, 3 scans, 4 files of 4 KiB
 *                 .start();
 *         XnatClient xnat = XnatClient.builder()
 *                 .serverUrl(server.baseUrl()) // http://127.0.0.1:<free port>
 *                 .credentials(Credentials.password(server.adminUser(), server.adminPassword()))
 *                 .build()) {
 *     sessions = xnat.project("DEMO").experiments().map(Experiment::label).collectList().block();
 * }
 * }</pre>
 *
 * The first user is a site administrator; later users are ordinary users who own the projects they create.
 * Thread-safe. {@link #close()} stops the server and, when the data directory was a temporary one, deletes it.
 */
public final class XnatTestServer implements AutoCloseable {
    private final DisposableServer server;
    private final LoopResources loops;
    private final Store store;
    private final Sessions sessions;
    private final Faults faults;
    private final Router router;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Map<String, String> users;
    private final String baseUrl;

    private XnatTestServer(Builder b) {
        this.ownsDataDir = b.dataDir == null;
        try {
            this.dataDir = b.dataDir != null ? b.dataDir : Files.createTempDirectory("xnat-testkit-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary data directory", e);
        }
        this.users = new LinkedHashMap<>(b.users);
        if (users.isEmpty()) {
            users.put("admin", "admin");
        }
        this.store = new Store(b.siteId, dataDir, b.clock);
        users.forEach(store::addUser);
        b.profiles.forEach((login, p) -> {
            Store.User u = store.directory().user(login);
            u.firstname = p[0];
            u.lastname = p[1];
            u.email = p[2];
        });
        store.directory().guestAccess(b.guestAccess);
        this.faults = new Faults(b.faults);
        this.sessions = new Sessions(b.sessionTimeout, b.faults.expireSessionsEvery(), b.clock);
        Store.User admin = store.users().get(0);
        store.write(tx -> {
            for (SeedSpec seed : b.seeds) {
                Seeder.seed(tx, seed, admin);
            }
            return null;
        });
        this.router = new Router(store, sessions, faults);
        for (Builder.UserRoute r : b.routes) {
            router.userRoutes().route(r.method(), r.pattern(), UserRoutes.adapt(r.handler()));
        }
        this.loops = LoopResources.create("xnat-testkit", b.ioThreads, true);
        this.server = HttpServer.create()
                .host(b.host)
                .port(b.port)
                .runOn(loops)
                .handle(router::handle)
                .bindNow(Duration.ofSeconds(30));
        String host = b.host.contains(":") ? "[" + b.host + "]" : b.host;
        this.baseUrl = "http://" + host + ":" + server.port();
        router.baseUrl(baseUrl);
    }

    /**
     * Starts configuring a server.
     *
     * @return a builder with one user {@code admin}/{@code admin} unless users are added, on a free loopback port
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where to point a client.
     *
     * @return the base URL without a trailing slash, e.g. {@code http://127.0.0.1:41234}
     */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * The port the server listens on.
     *
     * @return the bound port (the free one picked when the builder said 0)
     */
    public int port() {
        return server.port();
    }

    /**
     * Where the server keeps file bytes.
     *
     * @return the data directory (a temporary one, deleted on {@link #close()}, unless the builder gave one)
     */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The site administrator's login.
     *
     * @return the first user's login, {@code admin} unless the builder added users
     */
    public String adminUser() {
        return users.keySet().iterator().next();
    }

    /**
     * The site administrator's password.
     *
     * @return the first user's password
     */
    public String adminPassword() {
        return users.get(adminUser());
    }

    /**
     * The password of a configured user.
     *
     * @param login a login given to {@link Builder#user(String, String)}
     * @return its password
     * @throws IllegalArgumentException when no user has that login
     */
    public String password(String login) {
        String p = users.get(login);
        if (p == null) {
            throw new IllegalArgumentException("No such user: " + login);
        }
        return p;
    }

    /**
     * Replaces the fault spec while running, for the requests that arrive from now on; the per-path counters that
     * decide which requests are hit start again from zero. Session expiry keeps the interval given at start.
     *
     * @param spec the faults to inject; {@link FaultSpec#none()} to stop injecting
     */
    public void faults(FaultSpec spec) {
        faults.set(Objects.requireNonNull(spec));
    }

    /**
     * Adds a route while running, above every other one (so it overrides routes added before, and the built-in
     * route): see {@link Builder#route(String, String, RouteHandler)}.
     *
     * @param method {@code GET}, {@code PUT}..., a comma list ({@code GET,HEAD}) or {@code *} for any
     * @param pattern the path pattern in its {@code /data} (or {@code /xapi}) form
     * @param handler what answers the matching requests
     * @return this server
     */
    public XnatTestServer route(String method, String pattern, RouteHandler handler) {
        router.userRoutes().first(checkMethod(method), pattern, UserRoutes.adapt(Objects.requireNonNull(handler)));
        return this;
    }

    private static String checkMethod(String method) {
        if (method == null || !method.matches("\\*|[A-Za-z]+(,[A-Za-z]+)*")) {
            throw new IllegalArgumentException("A route method is GET, PUT, ..., a comma list, or *: " + method);
        }
        return method;
    }

    /**
     * How many faults were injected since start (errors, 503s and dropped downloads; latency is not counted).
     *
     * @return the number of requests the server failed on purpose
     */
    public long injectedFaults() {
        return faults.injected();
    }

    /**
     * The processing requests that arrived so far, in order: {@code triggerPipelines}, {@code fixScanTypes} and
     * {@code pullDataFromHeaders} sent to an experiment (see {@link Trigger}).
     *
     * @return a snapshot of what arrived
     */
    public List<Trigger> triggers() {
        return store.triggers();
    }

    /** Invalidates every server session now, as an expiry or a restart would. */
    public void expireSessions() {
        sessions.invalidateAll();
    }

    /**
     * How many server sessions are live (each login creates one; expiry and logout end them).
     *
     * @return the number of live sessions
     */
    public int sessionCount() {
        return sessions.count();
    }

    /** Blocks until the server is stopped (for the standalone jar). */
    public void awaitTermination() {
        server.onDispose().block();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(10));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        if (ownsDataDir) {
            Store.deleteTree(dataDir);
        }
    }

    @Override
    public String toString() {
        return "XnatTestServer[" + baseUrl + ", data=" + dataDir + "]";
    }

    /**
     * Configuration of a test server. Not thread-safe; {@link #start()} may be called more than once, for servers
     * that each have their own port, data and sessions.
     *
     * <pre>{@code
     * XnatTestServer.Builder builder = XnatTestServer.builder()
     *         .user("admin", "s3cret") // the first user is the site administrator
     *         .user("alice", "alicepw") // later users are ordinary users who own the projects they create
     *         .seed(SeedSpec.parse("DEMO:1x1x2x3x4K"))
     *         .faults(FaultSpec.none().latency(Duration.ofMillis(5)))
     *         .sessionTimeout(Duration.ofMinutes(15))
     *         .siteId("TEST"); // accession IDs TEST_S00001, TEST_E00001...
     * }</pre>
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private Path dataDir;
        private final Map<String, String> users = new LinkedHashMap<>();
        private final Map<String, String[]> profiles = new LinkedHashMap<>();
        private boolean guestAccess;
        private final List<SeedSpec> seeds = new ArrayList<>();
        private FaultSpec faults = FaultSpec.none();
        private Duration sessionTimeout = Duration.ofMinutes(15);
        private String siteId = "XNAT";
        private int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private LongSupplier clock = System::currentTimeMillis;
        private final List<UserRoute> routes = new ArrayList<>();

        private record UserRoute(String method, String pattern, RouteHandler handler) {}

        private Builder() {}

        /**
         * Adds a route in front of the built-in ones, as MockWebServer's {@code Dispatcher} would: to model what the
         * testkit does not, or to fail one route only. Routes added first are tried first; a handler answering
         * {@link RouteResponse#proceed()} lets the next route answer. Requests are authenticated as usual.
         *
         * <pre>{@code
         * XnatTestServer custom = XnatTestServer.builder()
         *         .route("GET", "/data/projects/{project}/custom",
         *                 req -> RouteResponse.text(200, "text/plain", "hello " + req.pathVariable("project")))
         *         .start();
         * }</pre>
         *
         * @param method {@code GET}, {@code PUT}..., a comma list ({@code GET,HEAD}) or {@code *} for any
         * @param pattern the path in its {@code /data} (or {@code /xapi}) form: literal segments, {@code {name}}
         *     for one segment, a final {@code {name...}} or {@code **} for the rest; {@code /REST/...} and
         *     {@code /data/archive/...} requests match it too
         * @param handler what answers the matching requests
         * @return this builder
         * @throws IllegalArgumentException when the method or pattern is malformed
         */
        public Builder route(String method, String pattern, RouteHandler handler) {
            io.github.xnatreactive.testkit.internal.PathPattern.parse(pattern);
            routes.add(new UserRoute(checkMethod(method), pattern, Objects.requireNonNull(handler)));
            return this;
        }

        /**
         * Sets the interface to bind; loopback ({@code 127.0.0.1}) by default.
         *
         * @param host an address or host name, e.g. {@code 0.0.0.0} to serve other machines
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /**
         * Sets the port to bind.
         *
         * @param port 0 (the default) for a free port, else 1 to 65535
         * @return this builder
         * @throws IllegalArgumentException for a port outside 0..65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets where file bytes go. A directory given here is kept on {@link XnatTestServer#close()}.
         *
         * @param dir the directory, or null for a temporary directory that is deleted on close (the default)
         * @return this builder
         */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /**
         * Adds a user. The first one added is the site administrator; later ones are ordinary users who own the
         * projects they create. Adding a login again changes its password.
         *
         * @param login non-empty, without {@code :}
         * @param password the password; not null
         * @return this builder
         * @throws IllegalArgumentException for an empty login or one with {@code :}
         */
        public Builder user(String login, String password) {
            if (login == null || login.isEmpty() || login.contains(":")) {
                throw new IllegalArgumentException("A user login must be non-empty and contain no ':'");
            }
            users.put(login, Objects.requireNonNull(password));
            return this;
        }

        /**
         * Adds a user with a name and e-mail (as {@code /data/users} and {@code /xapi/users/{login}} show them); see
         * {@link #user(String, String)}. Without this call a user's first and last names are its login and its
         * e-mail {@code login@localhost}.
         *
         * <pre>{@code
         * XnatTestServer.Builder b = XnatTestServer.builder()
         *         .user("admin", "admin")
         *         .user("alice", "alicepw", "Alice", "Liddell", "alice@example.org");
         * }</pre>
         *
         * @param login non-empty, without {@code :}
         * @param password the password; not null
         * @param firstname the first name
         * @param lastname the last name
         * @param email the e-mail address
         * @return this builder
         * @throws IllegalArgumentException for an empty login or one with {@code :}
         */
        public Builder user(String login, String password, String firstname, String lastname, String email) {
            user(login, password);
            profiles.put(login, new String[] {
                Objects.requireNonNull(firstname), Objects.requireNonNull(lastname), Objects.requireNonNull(email)
            });
            return this;
        }

        /**
         * Lets callers without credentials in as XNAT's {@code guest} user, as a site with {@code requireLogin=false}
         * does: the guest reads public projects and changes nothing. Off by default (anonymous requests get 401).
         *
         * @param allowed true to let anonymous callers in
         * @return this builder
         */
        public Builder guestAccess(boolean allowed) {
            this.guestAccess = allowed;
            return this;
        }

        /**
         * Adds a synthetic project to create at start (owned by the administrator). Repeatable.
         *
         * @param seed the project's shape
         * @return this builder
         */
        public Builder seed(SeedSpec seed) {
            seeds.add(Objects.requireNonNull(seed));
            return this;
        }

        /**
         * Sets the faults to inject from the start; {@link FaultSpec#none()} by default. Change them while running
         * with {@link XnatTestServer#faults(FaultSpec)}.
         *
         * @param faults the faults
         * @return this builder
         */
        public Builder faults(FaultSpec faults) {
            this.faults = Objects.requireNonNull(faults);
            return this;
        }

        /**
         * Sets the idle time after which a server session expires; 15 minutes by default, like XNAT.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException when {@code timeout} is zero or negative
         */
        public Builder sessionTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("session timeout must be positive");
            }
            this.sessionTimeout = timeout;
            return this;
        }

        /**
         * Sets the site ID used in accession IDs ({@code XNAT_S00001}); {@code XNAT} by default.
         *
         * @param siteId letters, digits and {@code _}
         * @return this builder
         * @throws IllegalArgumentException for other characters
         */
        public Builder siteId(String siteId) {
            if (!siteId.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("Bad site ID: " + siteId);
            }
            this.siteId = siteId;
            return this;
        }

        /** The clock sessions expire by (milliseconds); tests use it to move time without waiting. */
        Builder clock(LongSupplier clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * Sets the number of Netty event-loop threads; the number of processors (at least 2) by default.
         *
         * @param n at least 1
         * @return this builder
         * @throws IllegalArgumentException when {@code n} is below 1
         */
        public Builder ioThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("ioThreads must be >= 1");
            }
            this.ioThreads = n;
            return this;
        }

        /**
         * Starts a server with this configuration; it is ready to serve when this returns.
         *
         * @return the running server; close it to stop it
         * @throws java.io.UncheckedIOException when the temporary data directory cannot be created
         */
        public XnatTestServer start() {
            return new XnatTestServer(this);
        }
    }
}
