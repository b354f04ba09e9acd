package io.github.xnatreactive.testkit;

/**
 * Answers the requests of a route a test adds to the server ({@link XnatTestServer.Builder#route}), in the spirit of
 * MockWebServer's {@code Dispatcher}: to simulate what the testkit does not model, or to fail one route only.
 *
 * <pre>{@code
 * RouteHandler firstFails = req -> req.callCount() == 1
 *         ? RouteResponse.error(503, "try again")
 *         : RouteResponse.proceed();   // then as the built-in route answers
 * }</pre>
 *
 * Runs on a worker thread (blocking is allowed), after authentication and before the built-in routes. It may be
 * called concurrently.
 */
@FunctionalInterface
public interface RouteHandler {
    /**
     * The answer to one request.
     *
     * @param request what was asked
     * @return the response, or {@link RouteResponse#proceed()} to let the built-in route answer
     */
    RouteResponse handle(RouteRequest request);
}
