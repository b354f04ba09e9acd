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
 * try (XnatTestServer xnat = XnatTestServer.builder()
 *         .user("admin", "admin")
 *         .seed(SeedSpec.parse("DEMO:2x2x3x10x64K"))
 *         .start()) {
 *     String url = xnat.baseUrl();   // http://127.0.0.1:<free port>
 *     ...
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
        this.store = new Store(b.siteId, dataDir);
        users.forEach(store::addUser);
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

    /** A builder with one user {@code admin}/{@code admin} unless users are added, on a free loopback port. */
    public static Builder builder() {
        return new Builder();
    }

    /** Base URL without a trailing slash, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The site administrator's login (the first user). */
    public String adminUser() {
        return users.keySet().iterator().next();
    }

    public String adminPassword() {
        return users.get(adminUser());
    }

    /** The password of a configured user. */
    public String password(String login) {
        String p = users.get(login);
        if (p == null) {
            throw new IllegalArgumentException("No such user: " + login);
        }
        return p;
    }

    /** Replaces the fault spec while running (session expiry keeps the interval given at start). */
    public void faults(FaultSpec spec) {
        faults.set(Objects.requireNonNull(spec));
    }

    /**
     * Adds a route while running, above every other one (so it overrides routes added before, and the built-in
     * route): see {@link Builder#route(String, String, RouteHandler)}.
     *
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

    /** How many faults were injected since start. */
    public long injectedFaults() {
        return faults.injected();
    }

    /** Invalidates every server session now, as an expiry or a restart would. */
    public void expireSessions() {
        sessions.invalidateAll();
    }

    /** Number of live server sessions (each login creates one). */
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

    /** Configuration of a test server. Not thread-safe; {@link #start()} may be called more than once. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 0;
        private Path dataDir;
        private final Map<String, String> users = new LinkedHashMap<>();
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
         * XnatTestServer.builder()
         *         .route("GET", "/data/projects/{project}/custom",
         *                 req -> RouteResponse.text(200, "text/plain", "hello " + req.pathVariable("project")))
         *         .start();
         * }</pre>
         *
         * @param method {@code GET}, {@code PUT}..., a comma list ({@code GET,HEAD}) or {@code *} for any
         * @param pattern the path in its {@code /data} (or {@code /xapi}) form: literal segments, {@code {name}}
         *     for one segment, a final {@code {name...}} or {@code **} for the rest; {@code /REST/...} and
         *     {@code /data/archive/...} requests match it too
         * @throws IllegalArgumentException when the method or pattern is malformed
         */
        public Builder route(String method, String pattern, RouteHandler handler) {
            io.github.xnatreactive.testkit.internal.PathPattern.parse(pattern);
            routes.add(new UserRoute(checkMethod(method), pattern, Objects.requireNonNull(handler)));
            return this;
        }

        /** Interface to bind; loopback by default. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** Port to bind; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** Where file bytes go; a temporary directory (deleted on close) by default. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Adds a user. The first one added is the site administrator. */
        public Builder user(String login, String password) {
            if (login == null || login.isEmpty() || login.contains(":")) {
                throw new IllegalArgumentException("A user login must be non-empty and contain no ':'");
            }
            users.put(login, Objects.requireNonNull(password));
            return this;
        }

        /** Creates a synthetic project at start (owned by the administrator). */
        public Builder seed(SeedSpec seed) {
            seeds.add(Objects.requireNonNull(seed));
            return this;
        }

        public Builder faults(FaultSpec faults) {
            this.faults = Objects.requireNonNull(faults);
            return this;
        }

        /** Idle time after which a server session expires; 15 minutes by default, like XNAT. */
        public Builder sessionTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("session timeout must be positive");
            }
            this.sessionTimeout = timeout;
            return this;
        }

        /** The site ID used in accession IDs ({@code XNAT_S00001}); {@code XNAT} by default. */
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

        public Builder ioThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("ioThreads must be >= 1");
            }
            this.ioThreads = n;
            return this;
        }

        /** Starts the server; it is ready to serve when this returns. */
        public XnatTestServer start() {
            return new XnatTestServer(this);
        }
    }
}
