package consumer;

import io.github.xnatreactive.core.XnatClient;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/** GET /projects streams XNAT's project IDs, one a line, as the starter's client reads them. */
@SpringBootApplication
public class ProjectsApplication {
    public static void main(String[] args) {
        SpringApplication.run(ProjectsApplication.class, args);
    }

    @Bean
    RouterFunction<ServerResponse> projects(XnatClient xnat) {
        return RouterFunctions.route()
                .GET("/projects", r -> ServerResponse.ok()
                        .contentType(MediaType.TEXT_PLAIN)
                        .body(xnat.projects().map(p -> p.id() + "\n"), String.class))
                .build();
    }
}
