package io.github.xnatreactive.testkit;

import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
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
public final class XnatTestServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private final Consumer<XnatTestServer.Builder> config;
    private XnatTestServer server;

    /** Defaults: user admin/admin, free port, temporary data directory. */
    public XnatTestServerExtension() {
        this(b -> {});
    }

    /**
     * An extension whose server is configured by {@code config} before it starts.
     *
     * @param config called once per test class with a fresh {@link XnatTestServer#builder()}
     */
    public XnatTestServerExtension(Consumer<XnatTestServer.Builder> config) {
        this.config = config;
    }

    /**
     * The running server, from the test class's {@code @BeforeAll} to its {@code @AfterAll}.
     *
     * @return the server
     * @throws IllegalStateException when called outside that span (e.g. from a static initializer)
     */
    public XnatTestServer server() {
        if (server == null) {
            throw new IllegalStateException("The test server is not running (use it from a test method)");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        XnatTestServer.Builder b = XnatTestServer.builder();
        config.accept(b);
        server = b.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == XnatTestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return server();
    }
}
