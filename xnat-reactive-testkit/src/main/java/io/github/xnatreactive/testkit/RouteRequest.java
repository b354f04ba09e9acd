package io.github.xnatreactive.testkit;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request as a {@link RouteHandler} sees it: method, path in its {@code /data} form ({@code /REST} and
 * {@code /data/archive} are mapped onto it), the variables the route's pattern bound, query parameters, headers, body
 * and caller.
 */
public final class RouteRequest {
    private final String method;
    private final String path;
    private final Map<String, String> variables;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final String user;
    private final long callCount;

    RouteRequest(
            String method,
            String path,
            Map<String, String> variables,
            Map<String, List<String>> query,
            Map<String, List<String>> headers,
            byte[] body,
            String user,
            long callCount) {
        this.method = method;
        this.path = path;
        this.variables = Map.copyOf(variables);
        this.query = query;
        this.headers = headers;
        this.body = Objects.requireNonNull(body);
        this.user = user;
        this.callCount = callCount;
    }

    /**
     * The request's method.
     *
     * @return {@code GET}, {@code PUT}..., upper case
     */
    public String method() {
        return method;
    }

    /**
     * The request's path.
     *
     * @return the decoded path in its {@code /data} form, e.g. {@code /data/projects/P1/custom}
     */
    public String path() {
        return path;
    }

    /**
     * The variables the route's pattern bound.
     *
     * @return e.g. {@code project -> P1} for {@code /data/projects/{project}}; unmodifiable
     */
    public Map<String, String> pathVariables() {
        return variables;
    }

    /**
     * One variable of the route's pattern.
     *
     * @param name the variable's name in the pattern, e.g. {@code project}
     * @return its decoded value
     * @throws IllegalArgumentException when the pattern has no such variable
     */
    public String pathVariable(String name) {
        String v = variables.get(name);
        if (v == null) {
            throw new IllegalArgumentException("The route has no variable '" + name + "': " + variables.keySet());
        }
        return v;
    }

    /**
     * The first value of a query parameter.
     *
     * @param name the parameter's name
     * @return its first value, or null when absent
     */
    public String queryParameter(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /**
     * Every value of a query parameter.
     *
     * @param name the parameter's name
     * @return its values in request order; empty when absent
     */
    public List<String> queryParameters(String name) {
        return query.getOrDefault(name, List.of());
    }

    /**
     * The first value of a header.
     *
     * @param name the header's name, case-insensitive
     * @return its first value, or null when absent
     */
    public String header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    /**
     * The request body.
     *
     * @return a copy of the body's bytes; empty when there was none
     */
    public byte[] body() {
        return body.clone();
    }

    /**
     * Who sent the request.
     *
     * @return the login of the authenticated caller
     */
    public String user() {
        return user;
    }

    /**
     * How many requests this route has received.
     *
     * @return the count, this request included: 1 for the first
     */
    public long callCount() {
        return callCount;
    }

    @Override
    public String toString() {
        return "RouteRequest[" + method + " " + path + ", user=" + user + ", call " + callCount + "]";
    }
}
