package io.github.xnatreactive.testkit.internal;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/** What a handler answers: status, headers and one kind of body. Built on a worker thread, sent by the router. */
public final class Reply {
    public final int status;
    public final Map<String, String> headers = new LinkedHashMap<>();
    public byte[] bytes;
    public Path file;
    public long fileLength;
    /** A streamed body of unknown length (archives), sent chunked. */
    public Publisher<ByteBuf> stream;
    /** For a streamed body: close the connection after this many bytes (an injected fault); -1 sends it all. */
    public long dropAfter = -1;

    private Reply(int status) {
        this.status = status;
    }

    public static Reply empty(int status) {
        Reply r = new Reply(status);
        r.bytes = new byte[0];
        r.headers.put("Content-Type", "text/plain");
        return r;
    }

    public static Reply text(int status, String contentType, String body) {
        Reply r = new Reply(status);
        r.bytes = body.getBytes(StandardCharsets.UTF_8);
        r.headers.put("Content-Type", contentType);
        return r;
    }

    public static Reply file(Path file, long length, String contentType) {
        Reply r = new Reply(200);
        r.file = file;
        r.fileLength = length;
        r.headers.put("Content-Type", contentType);
        return r;
    }

    public static Reply stream(String contentType, Publisher<ByteBuf> body) {
        Reply r = new Reply(200);
        r.stream = body;
        r.headers.put("Content-Type", contentType);
        return r;
    }

    public Reply header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
