package io.github.xnatreactive.testkit.internal;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Entry point of every request: fault injection, authentication, body spooling (or reading it as it arrives, for
 * a route with a {@link RouteTable.BodyReader}), then dispatch to {@link Archive} on a worker thread, then sending the
 * {@link Reply}. No handler code runs on a Netty event loop.
 */
public final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    private static final Pattern BROWSER = Pattern.compile(".*(Mozilla|AppleWebKit|MSIE|Opera).*");
    private static final String REALM = "XNAT Protected Area";

    private final Store store;
    private final Sessions sessions;
    private final Faults faults;
    private final RouteTable routes;
    private final RouteTable userRoutes = new RouteTable();
    private volatile String baseUrl = "";

    public Router(Store store, Sessions sessions, Faults faults) {
        this.store = store;
        this.sessions = sessions;
        this.faults = faults;
        this.routes = Api.table(new AuthHandlers(store, sessions));
    }

    /** Routes a test added: searched before the built-in ones; a handler answering null lets those answer. */
    public RouteTable userRoutes() {
        return userRoutes;
    }

    public void baseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public Mono<Void> handle(HttpServerRequest req, HttpServerResponse res) {
        return Mono.defer(() -> {
                    java.time.Duration latency = faults.latency(req.uri());
                    Mono<Void> run = Mono.defer(() -> process(req, res));
                    return latency.isZero() ? run : Mono.delay(latency).then(run);
                })
                .onErrorResume(e -> sendError(req, res, e));
    }

    private Mono<Void> process(HttpServerRequest req, HttpServerResponse res) {
        String uri = req.uri();
        int q = uri.indexOf('?');
        String rawPath = q < 0 ? uri : uri.substring(0, q);
        String rawQuery = q < 0 ? "" : uri.substring(q + 1);
        String method = req.method().name();
        boolean slash = rawPath.endsWith("/") && rawPath.length() > 1;
        List<String> segs = dataForm(segments(rawPath));
        if (segs.isEmpty() || !List.of("data", "xapi", "schemas").contains(segs.get(0))) {
            throw XnatError.notFound("The server has not found anything matching the request URI");
        }
        Call call = new Call(method, uri, segs, slash, Query.parse(rawQuery), req.requestHeaders(), baseUrl);
        call.faults = faults;

        boolean open = segs.equals(BUILD_INFO);
        boolean login = segs.size() >= 2
                && segs.get(0).equals("data")
                && (segs.get(1).equals("JSESSION") || segs.equals(FORM_LOGIN));
        if (!login) {
            Faults.Kind f = faults.before(method, rawPath);
            if (f == Faults.Kind.UNAVAILABLE) {
                XnatError e = new XnatError(503, "Service temporarily unavailable (injected fault)");
                res.header("Retry-After", Integer.toString(faults.spec().retryAfterSeconds()));
                return sendError(req, res, e);
            }
            if (f == Faults.Kind.ERROR) {
                return sendError(req, res, new XnatError(500, "Internal server error (injected fault)"));
            }
        }
        boolean formLogin = segs.equals(FORM_LOGIN);
        if (!open && !formLogin) {
            Reply denied = authenticate(call, !(segs.size() >= 2 && segs.get(1).equals("JSESSION")));
            if (denied != null) {
                return send(req, res, call, denied);
            }
        }
        RouteTable.BodyReader reader = call.isWrite() ? streamingReader(call) : null;
        Mono<Call> ready;
        if (reader != null) {
            ready = Mono.fromCallable(() -> {
                        call.prepared = read(reader, call, req);
                        return call;
                    })
                    .subscribeOn(Schedulers.boundedElastic());
        } else {
            Mono<Call.Body> body = call.isWrite() ? spool(req) : Mono.empty();
            ready = body.map(b -> {
                        call.body = b.size() == 0 ? null : b;
                        if (b.size() == 0) {
                            deleteQuietly(b.file());
                        }
                        return call;
                    })
                    .defaultIfEmpty(call);
        }
        return ready.flatMap(c -> Mono.fromCallable(() -> dispatch(c))
                        .subscribeOn(Schedulers.boundedElastic())
                        .doFinally(sig -> Schedulers.boundedElastic().schedule(() -> release(c))))
                .flatMap(reply -> send(req, res, call, reply));
    }

    /** Deletes a spooled body, closes what a body reader made; both once the request has been answered. */
    private static void release(Call c) {
        if (c.body != null) {
            deleteQuietly(c.body.file());
        }
        if (c.prepared instanceof AutoCloseable a) {
            try {
                a.close();
            } catch (Exception e) {
                log.debug("could not release what the body of {} left", c.uri, e);
            }
        }
    }

    /**
     * The body reader of the built-in route this write goes to, when it takes this body as a stream; null to spool
     * it (and always for a path a test's own routes answer, or that no route matches: dispatch answers those).
     */
    private RouteTable.BodyReader streamingReader(Call call) {
        if (userRoutes.find(call.method, call.segments) != null) {
            return null;
        }
        RouteTable.Match m;
        try {
            m = routes.match(call.method, call.segments);
        } catch (XnatError e) {
            return null;
        }
        RouteTable.BodyReader r = m.row().reader();
        if (r == null) {
            return null;
        }
        call.vars = m.vars(); // the reader's, until dispatch matches again
        return r.streams(call) ? r : null;
    }

    /**
     * Has {@code reader} read the body as it arrives (on this worker thread, chunks copied off the event loop as in
     * {@link #spool}). The rest of the body, whatever the reader left of it or when it refused with an {@link XnatError},
     * is read and dropped, so that the client, still sending, reads the answer; an empty body is no body, as when
     * spooled.
     */
    private Object read(RouteTable.BodyReader reader, Call call, HttpServerRequest req) throws IOException {
        ChunkStream in = new ChunkStream(req.receive().asByteArray());
        try {
            Object made;
            try {
                made = reader.read(call, store, in);
            } catch (XnatError e) {
                in.drain();
                throw e;
            }
            try {
                in.drain(); // what a reader leaves (a zip's central directory)
            } catch (IOException e) {
                if (made instanceof AutoCloseable a) {
                    try {
                        a.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
            if (in.total() == 0 && made instanceof AutoCloseable a) {
                try {
                    a.close();
                } catch (Exception e) {
                    throw new IOException(e);
                }
                return null;
            }
            return in.total() == 0 ? null : made;
        } finally {
            in.cancel();
        }
    }

    private static final List<String> BUILD_INFO = List.of("xapi", "siteConfig", "buildInfo");
    private static final List<String> FORM_LOGIN = List.of("data", "services", "auth");

    /** {@code /REST/...} and {@code /data/archive/...} as {@code /data/...}. */
    private static List<String> dataForm(List<String> segs) {
        List<String> out = new ArrayList<>(segs);
        if (!out.isEmpty() && out.get(0).equals("REST")) {
            out.set(0, "data");
        }
        if (out.size() >= 2 && out.get(0).equals("data") && out.get(1).equals("archive")) {
            out.remove(1);
        }
        return List.copyOf(out);
    }

    private static List<String> segments(String rawPath) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (s.isEmpty()) {
                continue;
            }
            String d = decodePathSegment(s);
            if (d.equals("..") || d.equals(".")) {
                throw XnatError.badRequest("Invalid path: relative segments are not allowed.");
            }
            out.add(d);
        }
        return out;
    }

    private static String decodePathSegment(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw XnatError.badRequest("Malformed percent-encoding in the path.");
                }
                try {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                } catch (NumberFormatException e) {
                    throw XnatError.badRequest("Malformed percent-encoding in the path.");
                }
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ authentication (contract section 6)

    /** Sets {@code call.user}; returns the reply to send instead when the caller is not authenticated. */
    private Reply authenticate(Call call, boolean useCookie) {
        String auth = call.headers.get(HttpHeaderNames.AUTHORIZATION);
        String cookieSession = cookie(call, "JSESSIONID");
        Sessions.Session existing = useCookie || auth == null ? sessions.find(cookieSession) : null;
        if (existing != null && !existing.user.enabled) {
            sessions.invalidate(existing.id);
            existing = null;
        }
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] cred = decodeBasic(auth.substring(6).trim());
            Store.User u = cred == null ? null : store.authenticate(cred[0], cred[1]);
            if (u == null) {
                return Reply.text(401, "text/html;charset=utf-8", Pages.tomcat(401, "Unauthorized", "Bad credentials"));
            }
            if (existing != null && existing.user.login().equals(u.login())) {
                call.session = existing;
            } else {
                call.session = sessions.create(u);
                call.setCookies.add("JSESSIONID=" + call.session.id + "; Path=/; HttpOnly");
            }
            call.user = u;
        } else if (existing != null) {
            call.session = existing;
            call.user = existing.user;
        } else if (useCookie && store.directory().guestOrNull() != null) {
            call.user = store.directory().guestOrNull();
            return null;
        } else {
            String ua = call.headers.get(HttpHeaderNames.USER_AGENT);
            if (ua != null && BROWSER.matcher(ua).matches()) {
                return Reply.empty(302).header("Location", baseUrl + "/app/template/Login.vm");
            }
            return Reply.text(
                            401,
                            "text/html;charset=utf-8",
                            Pages.tomcat(
                                    401, "Unauthorized", "Full authentication is required to access this resource"))
                    .header("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
        }
        call.setCookies.add(sessions.expirationCookie());
        return null;
    }

    private static String[] decodeBasic(String b64) {
        try {
            String s = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            return colon < 0 ? null : new String[] {s.substring(0, colon), s.substring(colon + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String cookie(Call call, String name) {
        for (String header : call.headers.getAll(HttpHeaderNames.COOKIE)) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                    return part.substring(eq + 1).trim();
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ body

    /**
     * Streams the request body into a temp file off the event loop, hashing it on the way. Each chunk is copied to
     * the heap on the event loop and its buffer left to Reactor Netty to release: a retained buffer waiting in the
     * hand-off queue was lost (never released) when a client cut an upload mid-body.
     */
    private Mono<Call.Body> spool(HttpServerRequest req) {
        // an archive to extract is not hashed whole: its entries are, as they are extracted (the body's digest is
        // computed from the file only if it ends up stored as it is)
        boolean digest = !new io.netty.handler.codec.http.QueryStringDecoder(req.uri())
                .parameters()
                .getOrDefault("extract", List.of())
                .contains("true");
        return Mono.fromCallable(() -> {
                    Path p = store.newTempFile("body");
                    return new Spool(
                            p, FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), digest);
                })
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(sp -> req.receive()
                        .asByteArray()
                        .publishOn(Schedulers.boundedElastic(), 8)
                        .doOnNext(sp::write)
                        .then(Mono.fromCallable(sp::finish))
                        .doOnError(e -> sp.abort())
                        .doOnCancel(sp::abort));
    }

    private static final class Spool {
        final Path file;
        final FileChannel channel;
        final Checksums sums;
        long size;

        Spool(Path file, FileChannel channel, boolean digest) {
            this.file = file;
            this.channel = channel;
            this.sums = digest ? new Checksums() : null;
        }

        void write(byte[] chunk) {
            try {
                if (sums != null) {
                    sums.update(chunk, 0, chunk.length);
                }
                size += chunk.length;
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(chunk);
                while (bb.hasRemaining()) {
                    channel.write(bb);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Call.Body finish() throws IOException {
            channel.close();
            return sums == null
                    ? new Call.Body(file, size, null, -1)
                    : new Call.Body(file, size, sums.md5Hex(), sums.crc());
        }

        void abort() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing after a failure
            }
            deleteQuietly(file);
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.debug("could not delete {}", p, e);
        }
    }

    // ------------------------------------------------------------------ dispatch

    /** Matches the route and runs its handler in a read (GET, HEAD) or write (anything else) transaction. */
    private Reply dispatch(Call c) {
        RouteTable.Match own = userRoutes.find(c.method, c.segments);
        if (own != null) {
            c.vars = own.vars();
            Reply r = own.row().handler().handle(c);
            if (r != null) {
                return r;
            }
        }
        RouteTable.Match m = routes.match(c.method, c.segments);
        c.vars = m.vars();
        RouteTable.Handler h = m.row().handler();
        return c.isRead() ? store.read(tx -> run(h, c, tx)) : store.write(tx -> run(h, c, tx));
    }

    private static Reply run(RouteTable.Handler h, Call c, Store tx) {
        c.store = tx;
        return h.handle(c);
    }

    // ------------------------------------------------------------------ sending

    /** IMF-fixdate (RFC 9110): two-digit day, unlike {@link DateTimeFormatter#RFC_1123_DATE_TIME} ("Wed, 5 Nov"). */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    static String httpDate(long millis) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC)
                .format(HTTP_DATE);
    }

    private Mono<Void> send(HttpServerRequest req, HttpServerResponse res, Call call, Reply r) {
        if (r.disconnect) {
            log.debug("closing the connection without an answer: {}", req.uri());
            res.withConnection(conn -> conn.channel().close());
            return Mono.empty();
        }
        res.status(HttpResponseStatus.valueOf(r.status));
        r.headers.forEach(res::header);
        for (String c : call.setCookies) {
            res.addHeader(HttpHeaderNames.SET_COOKIE, c);
        }
        boolean head = call.method.equals("HEAD");
        if (r.bytes != null) {
            res.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(r.bytes.length));
            return head ? res.send() : res.sendByteArray(Mono.just(r.bytes)).then();
        }
        if (r.file != null) {
            res.header(HttpHeaderNames.CONTENT_LENGTH, Long.toString(r.fileLength));
            if (head) {
                return res.send();
            }
            if (faults.drop(req.uri())) {
                long n = Math.min(faults.spec().dropAfterBytes(), r.fileLength);
                log.debug("dropping the connection after {} of {} bytes: {}", n, r.fileLength, req.uri());
                // Even with nothing of the body, the status and headers go out before the connection drops.
                Mono<Void> partial = n > 0
                        ? res.sendFile(r.file, 0, n).then()
                        : res.sendHeaders().then();
                return partial.then(Mono.fromRunnable(
                        () -> res.withConnection(conn -> conn.channel().close())));
            }
            if (faults.stall(req.uri())) {
                long n = Math.min(faults.spec().stallAfterBytes(), r.fileLength);
                log.debug("stalling after {} of {} bytes: {}", n, r.fileLength, req.uri());
                Mono<Void> partial = n > 0
                        ? res.sendFile(r.file, 0, n).then()
                        : res.sendHeaders().then();
                return partial.then(Mono.never()); // the connection stays open, silent, until the client leaves
            }
            return res.sendFile(r.file, 0, r.fileLength).then();
        }
        if (r.stream != null) {
            if (head) {
                return res.send();
            }
            if (r.dropAfter >= 0) {
                log.debug("dropping the connection after {} bytes of an archive: {}", r.dropAfter, req.uri());
                Mono<Void> partial = r.dropAfter > 0
                        ? res.send(cut(r.stream, r.dropAfter)).then()
                        : res.sendHeaders().then();
                return partial.then(Mono.fromRunnable(
                        () -> res.withConnection(conn -> conn.channel().close())));
            }
            return res.send(r.stream).then();
        }
        return res.send();
    }

    /** The first {@code limit} bytes of a body stream; the rest is cancelled and released. */
    private static Flux<ByteBuf> cut(org.reactivestreams.Publisher<ByteBuf> body, long limit) {
        return Flux.defer(() -> {
            long[] left = {limit};
            return Flux.from(body).<ByteBuf>handle((buf, sink) -> {
                if (left[0] <= 0) {
                    buf.release();
                    sink.complete();
                    return;
                }
                if (buf.readableBytes() >= left[0]) {
                    ByteBuf part = buf.retainedSlice(buf.readerIndex(), (int) left[0]);
                    buf.release();
                    left[0] = 0;
                    sink.next(part);
                    sink.complete();
                    return;
                }
                left[0] -= buf.readableBytes();
                sink.next(buf);
            });
        });
    }

    private Mono<Void> sendError(HttpServerRequest req, HttpServerResponse res, Throwable e) {
        XnatError x;
        if (e instanceof XnatError xe) {
            x = xe;
        } else {
            log.warn("request {} {} failed", req.method(), req.uri(), e);
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            x = new XnatError(500, "The server encountered an error: " + msg);
        }
        if (res.hasSentHeaders()) {
            log.debug("error after the response started; closing the connection: {}", x.getMessage());
            res.withConnection(conn -> conn.channel().close());
            return Mono.empty();
        }
        res.status(HttpResponseStatus.valueOf(x.status));
        res.header(HttpHeaderNames.CONTENT_TYPE, "text/html;charset=UTF-8");
        byte[] page = Pages.restletStatus(x.status, x.getMessage()).getBytes(StandardCharsets.UTF_8);
        res.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(page.length));
        if (req.method().name().equals("HEAD")) {
            return res.send();
        }
        return res.sendByteArray(Mono.just(page)).then();
    }
}
