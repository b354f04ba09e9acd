package io.github.xnatreactive.testkit;

import java.util.function.Consumer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives a test class a started {@link XnatTestServer}, shared by its tests, stopped after
 * the last one. Use it with defaults, injecting the server as a parameter:
 *
 * <pre>{@code
 * @ExtendWith(XnatTestServerExtension.class)
 * class ProjectListingTest {
 *     @Test
 *     void aNewServerHasNoProjects(XnatTestServer server) {
 *         try (XnatClient xnat = XnatClient.builder()
 *                 .serverUrl(server.baseUrl())
 *                 .credentials(Credentials.password(server.adminUser(), server.adminPassword()))
 *                 .build()) {
 *             assertEquals(List.of(), xnat.projects().collectList().block());
 *         }
 *     }
 * }
 * }</pre>
 *
 * or configured, as a static field (reach the server with {@link #server()}):
 *
 * <pre>{@code
 * @RegisterExtension
 * static XnatTestServerExtension server = new XnatTestServerExtension(b -> b.user("admin", "secret")
 *         .seed(SeedSpec.parse("P1:1x2x2x5x4K")));
 * }</pre>
 */
public final class XnatTestServerExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(XnatTestServerExtension.class);

    private final Consumer<XnatTestServer.Builder> config;
    private volatile Running running;

    /** Defaults: user admin/admin, free port, temporary data directory. */
    public XnatTestServerExtension() {
        this(b -> {});
    }

    /**
     * An extension whose server is configured by {@code config} before it starts.
     *
     * @param config called once per declaring test class with a fresh {@link XnatTestServer#builder()}
     */
    public XnatTestServerExtension(Consumer<XnatTestServer.Builder> config) {
        this.config = config;
    }

    /**
     * The running server, from the declaring test class's {@code @BeforeAll} to its {@code @AfterAll}; its
     * {@code @Nested} classes share it.
     *
     * @return the server
     * @throws IllegalStateException when called outside that span (e.g. from a static initializer)
     */
    public XnatTestServer server() {
        Running r = running;
        if (r == null) {
            throw new IllegalStateException("The test server is not running (use it from a test method)");
        }
        return r.server;
    }

    /**
     * Starts the server for the class that declares the extension, or finds the one an enclosing class started
     * (JUnit looks a key up in the enclosing classes' stores too): {@code @Nested} classes share their outer
     * class's server. The store closes it when the declaring class's tests are done.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getStore(NAMESPACE).getOrComputeIfAbsent(this, k -> start(), Running.class);
    }

    private Running start() {
        XnatTestServer.Builder b = XnatTestServer.builder();
        config.accept(b);
        return new Running(b.start());
    }

    /** The server as a resource of the declaring class's store, closed with it. */
    private final class Running implements ExtensionContext.Store.CloseableResource {
        final XnatTestServer server;

        Running(XnatTestServer server) {
            this.server = server;
        }

        @Override
        public void close() {
            if (running == this) {
                running = null;
            }
            server.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == XnatTestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        Running r = e.getStore(NAMESPACE).get(this, Running.class);
        return r != null ? r.server : server();
    }
}
