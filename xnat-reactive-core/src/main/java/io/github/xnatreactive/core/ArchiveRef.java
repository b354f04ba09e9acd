package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.BodyReaders;
import io.github.xnatreactive.core.internal.Request;
import io.github.xnatreactive.core.internal.Uris;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A place in the archive: an immutable name that does no I/O until one of its methods is subscribed. Refs are
 * cheap; make them freely. Subclasses: {@link ProjectRef}, {@link SubjectRef}, {@link ExperimentRef},
 * {@link ScanRef}, {@link AssessorRef}, {@link ReconstructionRef}, {@link ResourceRef}, {@link FileRef}.
 */
public abstract class ArchiveRef {
    final XnatClient client;
    final String path;
    final String template;
    final String id;

    ArchiveRef(XnatClient client, String path, String template, String id) {
        this.client = client;
        this.path = path;
        this.template = template;
        this.id = id;
    }

    /** The ID or label this ref was made with. */
    public String id() {
        return id;
    }

    /** The URL path of this object under the server URL, e.g. {@code /data/projects/P1/subjects/S1}. */
    public String path() {
        return path;
    }

    /** The client this ref belongs to. */
    public XnatClient client() {
        return client;
    }

    /** Whether the object exists: false on 404 only; any other failure (403, 500...) is an error. */
    public Mono<Boolean> exists() {
        return client.transport()
                .discard(existsRequest())
                .thenReturn(true)
                .onErrorResume(XnatNotFoundException.class, e -> Mono.just(false));
    }

    /** The request whose 404 means "does not exist": the object's JSON document unless a subclass knows better. */
    Request existsRequest() {
        return Request.get(path).template(template).param("format", "json").build();
    }

    /** The full document of the object as XNAT's XML ({@code format=xml}). */
    public Mono<String> xml() {
        return client.transport()
                .text(Request.get(path)
                        .template(template)
                        .param("format", "xml")
                        .build());
    }

    /** The full document of the object as XNAT's JSON ({@code format=json}: items, data_fields, children). */
    public Mono<String> json() {
        return client.transport().text(jsonRequest());
    }

    private Request jsonRequest() {
        return Request.get(path).template(template).param("format", "json").build();
    }

    /** The object's {@code data_fields} (its own fields, flattened XPaths), from the JSON document. */
    public Mono<Map<String, String>> fields() {
        return document().map(Document::fields);
    }

    /** The data type ({@code meta/xsi:type}) and {@code data_fields} of the JSON document, from one request. */
    Mono<Document> document() {
        return client.transport().json(jsonRequest()).map(doc -> {
            var item = doc.path("items").path(0);
            var data = item.path("data_fields");
            if (!data.isObject()) {
                throw new XnatProtocolException("No data_fields in the JSON document of " + path);
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (var e : data.properties()) {
                out.put(
                        e.getKey(),
                        e.getValue().isValueNode()
                                ? e.getValue().asString()
                                : e.getValue().toString());
            }
            return new Document(item.path("meta").path("xsi:type").asString(""), out);
        });
    }

    record Document(String xsiType, Map<String, String> fields) {}

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + path + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArchiveRef r && r.getClass() == getClass() && r.path.equals(path) && r.client == client;
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    // ------------------------------------------------------------------ helpers for subclasses

    String child(String collection, String ref) {
        return path + "/" + collection + "/" + Uris.segment(ref);
    }

    Flux<Map<String, String>> list(String collection, ListOptions options) {
        return client.rows(path + "/" + collection, template + "/" + collection, options.toParams());
    }

    /** PUT with query parameters; returns the status and the text body. */
    Mono<PutReply> put(Map<String, String> params) {
        Request req = Request.put(path).template(template).params(params).build();
        return client.transport()
                .exchange(
                        req,
                        BodyReaders.text()
                                .map((res, text) -> new PutReply(res.status().code(), text.strip())))
                .next();
    }

    record PutReply(int status, String body) {}

    /**
     * Has XNAT refresh the catalogs under this object: {@code POST /data/services/refresh/catalog} with the
     * object's archive path ({@code /archive/...}, the path with {@code /data} replaced) as {@code resource}.
     */
    Mono<Void> refresh(RefreshOptions options) {
        String decoded = java.net.URI.create(path).getPath();
        Request.Builder b = Request.post("/data/services/refresh/catalog")
                .template("/data/services/refresh/catalog")
                .param("resource", "/archive" + decoded.substring("/data".length()));
        for (String o : options.names()) {
            b.param("options", o);
        }
        return client.transport().discard(b.build());
    }

    Mono<Void> deleteWith(boolean removeFiles) {
        Request.Builder b = Request.delete(path).template(template);
        if (removeFiles) {
            b.param("removeFiles", "true");
        }
        return client.transport().discard(b.build());
    }

    /** Sets fields: short names ({@code gender}, {@code date}) or XPaths ({@code xnat:subjectData/group}). */
    Mono<Void> updateFields(Map<String, String> fields) {
        if (fields.isEmpty()) {
            return Mono.empty();
        }
        return put(fields).then();
    }

    static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>();
        if (value != null) {
            m.put(key, value);
        }
        m.putAll(base);
        return m;
    }
}
