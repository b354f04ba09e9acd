package io.github.xnatreactive.testkit.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An ordered table of routes (methods, path pattern, handler), searched top to bottom: the first row whose pattern
 * and method match handles the request; a path that only matches rows of other methods answers 405; a path no row
 * matches answers 404.
 */
public final class RouteTable {
    /** Answers one matched request; runs on a worker thread inside the request's store transaction. */
    @FunctionalInterface
    public interface Handler {
        Reply handle(Call c);
    }

    /** A handler of a typed target: {@code resolve} turns the path variables into it, {@code then} answers. */
    @FunctionalInterface
    public interface TargetHandler<T> {
        Reply handle(Call c, T target);
    }

    /**
     * Reads a request's body as it arrives, before the handler runs and outside the store's transaction, as a server
     * that processes an upload's stream does (XNAT extracts an in-body archive from the request's stream). What
     * {@link #read} returns reaches the handler as {@link Call#prepared}; a body it does not take is spooled to a file
     * as usual ({@link Call#body}).
     */
    public interface BodyReader {
        /** Whether this request's body is read as a stream; the call has its route's variables, no store yet. */
        boolean streams(Call c);

        /**
         * Reads the whole body (it may stop early by throwing). The result, if {@link AutoCloseable}, is closed once
         * the request is answered.
         */
        Object read(Call c, Store store, java.io.InputStream body) throws java.io.IOException;
    }

    /**
     * One row: the methods it answers (empty for any), its pattern, its handler and, if it reads bodies as they arrive,
     * its {@link BodyReader} (else null). A fallback row answers a path only when no row above it matched that path for
     * another method.
     */
    public record Row(Set<String> methods, PathPattern pattern, Handler handler, boolean fallback, BodyReader reader) {
        boolean accepts(String method) {
            return methods.isEmpty() || methods.contains(method);
        }
    }

    /** A matched row and the variables its pattern bound. */
    public record Match(Row row, Map<String, String> vars) {}

    private final List<Row> rows = new CopyOnWriteArrayList<>();

    /** Adds a row at the bottom. {@code methods} is comma-separated ({@code "GET,HEAD"}), or {@code "*"} for any. */
    public RouteTable route(String methods, String pattern, Handler handler) {
        rows.add(row(methods, pattern, handler, false));
        return this;
    }

    /** Adds a fallback row at the bottom: it answers any method, unless a row above matched the path. */
    public RouteTable fallback(String pattern, Handler handler) {
        rows.add(row("*", pattern, handler, true));
        return this;
    }

    /** Adds a row whose handler receives the target {@code resolve} makes of the path variables. */
    public <T> RouteTable route(String methods, String pattern, Function<Call, T> resolve, TargetHandler<T> handler) {
        return route(methods, pattern, c -> handler.handle(c, resolve.apply(c)));
    }

    /** Adds a row of a typed target whose request bodies {@code reader} reads as they arrive (when it takes them). */
    public <T> RouteTable route(
            String methods, String pattern, Function<Call, T> resolve, TargetHandler<T> handler, BodyReader reader) {
        rows.add(new Row(
                parseMethods(methods),
                PathPattern.parse(pattern),
                c -> handler.handle(c, resolve.apply(c)),
                false,
                java.util.Objects.requireNonNull(reader)));
        return this;
    }

    /** Adds a row above every other one. */
    public RouteTable first(String methods, String pattern, Handler handler) {
        rows.add(0, row(methods, pattern, handler, false));
        return this;
    }

    /** A route XNAT has and the testkit does not implement: 501 for any method (a fallback row). */
    public RouteTable notImplemented(String pattern) {
        return fallback(pattern, c -> {
            throw new XnatError(501, "The testkit does not implement " + c.path);
        });
    }

    private static Row row(String methods, String pattern, Handler handler, boolean fallback) {
        return new Row(parseMethods(methods), PathPattern.parse(pattern), handler, fallback, null);
    }

    private static Set<String> parseMethods(String methods) {
        return methods.equals("*")
                ? Set.of()
                : Set.of(methods.toUpperCase(Locale.ROOT).replace(" ", "").split(","));
    }

    /**
     * The first row matching the method and the decoded segments of a path in its {@code /data} form.
     *
     * @throws XnatError 405 when the path matches only rows of other methods, 404 when it matches none
     */
    public Match match(String method, List<String> segments) {
        boolean pathMatched = false;
        for (Row r : rows) {
            Map<String, String> vars = r.pattern().match(segments);
            if (vars == null) {
                continue;
            }
            if (r.fallback() && pathMatched) {
                break;
            }
            if (r.accepts(method)) {
                return new Match(r, vars);
            }
            pathMatched = true;
        }
        if (pathMatched) {
            throw new XnatError(405, "Method Not Allowed");
        }
        throw XnatError.notFound("The server has not found anything matching the request URI");
    }

    /** The first row that matches both the method and the path, or null (fallback rows included). */
    public Match find(String method, List<String> segments) {
        for (Row r : rows) {
            Map<String, String> vars = r.pattern().match(segments);
            if (vars != null && r.accepts(method)) {
                return new Match(r, vars);
            }
        }
        return null;
    }
}
