package io.github.xnatreactive.core.internal;

import io.github.xnatreactive.core.XnatProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.async.ByteArrayFeeder;
import tools.jackson.core.json.JsonFactory;

/**
 * Parses XNAT's {@code {"ResultSet":{"Result":[{...},...]}}} listings incrementally: bytes go in as they arrive,
 * complete rows come out, so a listing of a million rows needs the memory of one chunk and one row. Values are
 * strings in XNAT's JSON; numbers, booleans and nulls are accepted and turned into text. Not thread-safe: one
 * parser per response.
 */
public final class ResultSetParser {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final JsonParser parser = FACTORY.createNonBlockingByteArrayParser(ObjectReadContext.empty());
    private final ByteArrayFeeder feeder = (ByteArrayFeeder) parser.nonBlockingInputFeeder();
    private final StringBuilder head = new StringBuilder();

    private int depth;
    /** Field name at each depth (index = depth of the containing object). */
    private final List<String> names = new ArrayList<>();

    private int resultDepth = -1;
    private boolean sawResult;
    private boolean done;
    private Map<String, String> row;
    private String field;
    private int skipDepth = -1;

    /** The {@code Columns} block (search results): its objects' scalar entries, as they came. */
    private final List<Map<String, String>> columns = new ArrayList<>();
    /** The scalar entries of the ResultSet besides Result ({@code totalRecords}, {@code ID}...), as they came. */
    private final Map<String, String> meta = new LinkedHashMap<>();

    private int columnsDepth = -1;
    private Map<String, String> column;

    /**
     * Rows of the whole body. Each buffer is copied as it arrives (the transport releases it when {@code onNext}
     * returns, so it must not wait in a queue for demand); rows then come out as the subscriber asks for them.
     */
    public static Flux<Map<String, String>> rows(Flux<ByteBuf> body) {
        return Flux.defer(() -> {
            ResultSetParser p = new ResultSetParser();
            return body.map(ResultSetParser::copy)
                    .concatMapIterable(p::feed)
                    .concatWith(Flux.defer(() -> Flux.fromIterable(p.finish())));
        });
    }

    private static byte[] copy(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return bytes;
    }

    /** Feeds one chunk (not retained: it is copied) and returns the rows it completed. */
    public List<Map<String, String>> feed(ByteBuf buf) {
        return feed(copy(buf));
    }

    /** Feeds one chunk (the parser keeps the array until the next call) and returns the rows it completed. */
    public List<Map<String, String>> feed(byte[] bytes) {
        if (head.length() < 64) {
            head.append(new String(bytes, 0, Math.min(bytes.length, 64), java.nio.charset.StandardCharsets.UTF_8));
        }
        try {
            feeder.feedInput(bytes, 0, bytes.length);
            return drain();
        } catch (JacksonException e) {
            throw notJson(e);
        }
    }

    /** Ends the input; fails when the document was incomplete or was not a ResultSet. */
    public List<Map<String, String>> finish() {
        try {
            feeder.endOfInput();
            List<Map<String, String>> rows = drain();
            if (!done || !sawResult) {
                throw new XnatProtocolException(
                        head.length() == 0
                                ? "Empty reply where a listing was expected"
                                : "Truncated or malformed listing: the JSON ended before the ResultSet was complete");
            }
            return rows;
        } catch (JacksonException e) {
            throw notJson(e);
        } finally {
            parser.close();
        }
    }

    private XnatProtocolException notJson(JacksonException e) {
        String start = head.toString();
        if (Html.looksLikeHtml(start) || start.stripLeading().startsWith("<")) {
            return new XnatProtocolException("The server sent an HTML page where a JSON listing was expected"
                    + " (an error page or a login page on a 2xx reply)");
        }
        return new XnatProtocolException("The listing is not valid JSON: " + e.getOriginalMessage(), e);
    }

    private List<Map<String, String>> drain() {
        List<Map<String, String>> out = null;
        JsonToken t;
        while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    depth++;
                    if (row != null && skipDepth < 0) {
                        skipDepth = depth; // a nested value inside a row: skip it
                    } else if (t == JsonToken.START_ARRAY
                            && resultDepth < 0
                            && "Result".equals(name(depth - 1))
                            && "ResultSet".equals(name(depth - 2))) {
                        resultDepth = depth;
                        sawResult = true;
                    } else if (t == JsonToken.START_OBJECT && depth == resultDepth + 1 && resultDepth > 0) {
                        row = new LinkedHashMap<>();
                    } else if (t == JsonToken.START_ARRAY
                            && columnsDepth == -1
                            && "Columns".equals(name(depth - 1))
                            && "ResultSet".equals(name(depth - 2))) {
                        columnsDepth = depth;
                    } else if (t == JsonToken.START_OBJECT && columnsDepth > 0 && depth == columnsDepth + 1) {
                        column = new LinkedHashMap<>();
                    }
                }
                case END_OBJECT, END_ARRAY -> {
                    if (skipDepth == depth) {
                        skipDepth = -1;
                    } else if (row != null && skipDepth < 0 && depth == resultDepth + 1) {
                        if (out == null) {
                            out = new ArrayList<>();
                        }
                        out.add(row);
                        row = null;
                    } else if (depth == resultDepth) {
                        resultDepth = -2; // the Result array is over
                    } else if (column != null && depth == columnsDepth + 1) {
                        columns.add(column);
                        column = null;
                    } else if (depth == columnsDepth) {
                        columnsDepth = -2; // the Columns array is over
                    }
                    setName(depth, null);
                    depth--;
                    if (depth == 0) {
                        done = true;
                    }
                }
                case PROPERTY_NAME -> {
                    setName(depth, parser.currentName());
                    field = parser.currentName();
                }
                default -> {
                    if (row != null && skipDepth < 0 && depth == resultDepth + 1) {
                        row.put(field, t == JsonToken.VALUE_NULL ? "" : parser.getString());
                    } else if (column != null && depth == columnsDepth + 1) {
                        column.put(field, t == JsonToken.VALUE_NULL ? "" : parser.getString());
                    } else if (depth == 2 && "ResultSet".equals(name(1))) {
                        meta.put(field, t == JsonToken.VALUE_NULL ? "" : parser.getString());
                    }
                }
            }
        }
        return out == null ? List.of() : out;
    }

    /**
     * The entries of the {@code Columns} block read so far (XNAT sends it before the rows of a search result): one
     * map per column with its scalar entries ({@code key}, {@code element_name}, {@code header}...).
     *
     * @return the columns seen so far, in order; empty for listings without the block
     */
    public List<Map<String, String>> columns() {
        return columns;
    }

    /**
     * The ResultSet's scalar entries read so far besides its rows ({@code totalRecords}, {@code title}, a search's
     * {@code ID}); those XNAT sends after the rows are complete once the body has been read.
     *
     * @return the entries seen so far, in order
     */
    public Map<String, String> meta() {
        return meta;
    }

    private String name(int d) {
        return d >= 0 && d < names.size() ? names.get(d) : null;
    }

    private void setName(int d, String n) {
        while (names.size() <= d) {
            names.add(null);
        }
        names.set(d, n);
    }
}
