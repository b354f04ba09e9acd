package io.github.xnatreactive.examples;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

import io.github.xnatreactive.core.FileRef;
import io.github.xnatreactive.core.XnatClient;
import io.github.xnatreactive.core.XnatNotFoundException;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;

/**
 * A Spring WebFlux endpoint that streams a scan file from XNAT to its HTTP client: {@code GET
 * /files/{project}/{subject}/{session}/{scan}/{resource}/{path}}. Each chunk is passed on as it arrives from
 * XNAT, with backpressure, so a multi-gigabyte file needs no more memory than a few chunks; a file or object that
 * XNAT does not have is a 404.
 *
 * <p>The {@link XnatClient} comes from xnat-reactive-spring-boot-starter, configured by the {@code xnat.*}
 * properties (closed with the application); with the actuator, {@code /actuator/health} reports XNAT's reachability
 * and login and {@code /actuator/metrics/xnat.client.requests} times the requests.
 *
 * <p>Run: {@code XNAT_URL=... XNAT_USER=... XNAT_PASSWORD=... java -cp ...
 * io.github.xnatreactive.examples.SpringWebFluxProxy --server.port=8080}, then {@code curl -O
 * localhost:8080/files/P1/S1/S1_MR1/1/DICOM/1.dcm}
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SpringWebFluxProxy {
    public static void main(String[] args) {
        start(args);
    }

    /** Starts the application with Spring's args, e.g. {@code --xnat.url=https://xnat.example.org}. */
    public static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(SpringWebFluxProxy.class).run(args);
    }

    @Bean
    RouterFunction<ServerResponse> fileRoutes(XnatClient xnat) {
        return routes(xnat);
    }

    /** The endpoint as a router function, usable in any WebFlux application. */
    public static RouterFunction<ServerResponse> routes(XnatClient xnat) {
        return RouterFunctions.route(GET("/files/{project}/{subject}/{session}/{scan}/{resource}/{*path}"), request -> {
            String path = request.pathVariable("path").substring(1); // {*path} starts with "/"
            if (path.isEmpty()) {
                return ServerResponse.notFound().build();
            }
            FileRef file = xnat.project(request.pathVariable("project"))
                    .subject(request.pathVariable("subject"))
                    .experiment(request.pathVariable("session"))
                    .scan(request.pathVariable("scan"))
                    .resource(request.pathVariable("resource"))
                    .file(path);
            // Nothing is sent until XNAT's first bytes arrive, so a 404 from XNAT can still become ours.
            Flux<DataBuffer> body = file.content()
                    .<DataBuffer>map(DefaultDataBufferFactory.sharedInstance::wrap)
                    .onErrorMap(
                            XnatNotFoundException.class,
                            e -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such file in XNAT", e));
            return ServerResponse.ok()
                    .contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .body(BodyInserters.fromDataBuffers(body));
        });
    }
}
