package io.github.xnatreactive.spring.boot.app;

import io.github.xnatreactive.core.XnatClient;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** A WebFlux application that uses the auto-configured client: it streams XNAT's project IDs as they arrive. */
@SpringBootApplication
public class DemoApplication {
    /** The observations the application saw stopped, as a tracing bridge would see them. */
    public static final List<Observation.Context> OBSERVED = new CopyOnWriteArrayList<>();

    @Bean
    ObservationHandler<Observation.Context> recordingHandler() {
        return new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                OBSERVED.add(context);
            }
        };
    }

    // the example of docs/guide/spring-boot.md
    // doc:projects
    @Bean
    RouterFunction<ServerResponse> projects(XnatClient xnat) {
        return RouterFunctions.route()
                .GET("/projects", r -> ServerResponse.ok()
                        .contentType(MediaType.TEXT_PLAIN)
                        .body(xnat.projects().map(p -> p.id() + "\n"), String.class)) // one line each, as they arrive
                .build();
    }
    // end
}
