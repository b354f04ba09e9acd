package io.github.xnatreactive.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The JUnit extension: one server per declaring class, shared by its @Nested classes, closed after them. */
class ExtensionLifecycleTest {
    static final List<Integer> PORTS_SEEN = new CopyOnWriteArrayList<>();

    @Test
    void nestedClassesShareTheOuterServerAndItIsClosedAfterThem() {
        PORTS_SEEN.clear();
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(OuterFixture.class))
                .configurationParameter(InfrastructureTest.RUN_FIXTURES, "true")
                .execute()
                .testEvents()
                .assertStatistics(s -> s.succeeded(3).failed(0));
        assertThat(PORTS_SEEN).hasSize(3);
        assertThat(PORTS_SEEN.stream().distinct()).hasSize(1);
        assertThatThrownBy(() -> new Socket("127.0.0.1", PORTS_SEEN.get(0)).close())
                .as("the server still listens after its class")
                .isInstanceOf(IOException.class);
        assertThatThrownBy(OuterFixture.xnat::server).isInstanceOf(IllegalStateException.class);
    }

    @ExtendWith(InfrastructureTest.OnlyThroughEngineTestKit.class)
    static class OuterFixture {
        @RegisterExtension
        static XnatTestServerExtension xnat = new XnatTestServerExtension();

        @Test
        void outer(XnatTestServer server) {
            assertThat(server).isSameAs(xnat.server());
            PORTS_SEEN.add(server.port());
        }

        @Nested
        class Inner {
            @Test
            void inner(XnatTestServer server) {
                assertThat(server).isSameAs(xnat.server());
                PORTS_SEEN.add(server.port());
            }

            @Nested
            class Deeper {
                @Test
                void deeper() {
                    PORTS_SEEN.add(xnat.server().port());
                }
            }
        }
    }
}
