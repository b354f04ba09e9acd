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
 * {@link ScanRef}, {@link AssessorRef}, {@link ReconstructionRef}, {@link ResourceRef}, {@link FileRef}. Two refs
 * are equal when they have the same class, client and path.
 *
 * <pre>{@code
 * List<ArchiveRef> t1 = xnat.select("/projects/P1/subjects/P1_S00?/experiments/*_MR1/scans/1/resources/DICOM")
 *         .collectList()
 *         .block();
 * boolean there = t1.get(0).exists().block();
 * String path = t1.get(0).path(); // /data/projects/P1/subjects/P1_S001/experiments/P1_S001_MR1/scans/1/...
 * }</pre>
 */
public abstract class ArchiveRef {
    static {
        io.github.xnatreactive.core.internal.RefAccess.install(
                new io.github.xnatreactive.core.internal.RefAccess.Accessor() {
                    @Override
                    public io.github.xnatreactive.core.internal.Transport transport(ArchiveRef ref) {
                        return ref.client.transport();
                    }

                    @Override
                    public String template(ArchiveRef ref) {
                        return ref.template;
                    }

                    @Override
                    public Request.Builder upload(FileRef file, UploadOptions options) {
                        return file.uploadRequest(options);
                    }
                });
    }

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

    /**
     * The name this ref was made with.
     *
     * @return the ID or label, as given (a file's path inside its resource for a {@link FileRef})
     */
    public String id() {
        return id;
    }

    /**
     * Where the object lives on the server.
     *
     * @return the URL path under the server URL, encoded, e.g. {@code /data/projects/P1/subjects/S1}
     */
    public String path() {
        return path;
    }

    /**
     * The client this ref sends its requests with.
     *
     * @return the client the ref was made from
     */
    public XnatClient client() {
        return client;
    }

    /**
     * Asks the server whether the object exists.
     *
     * @return true, or false on a 404 only; any other failure (403, 500...) is an error signal
     */
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

    /**
     * Reads the object's full document as XNAT's XML ({@code format=xml}).
     *
     * @return the XML text; {@link XnatNotFoundException} when the object does not exist
     */
    public Mono<String> xml() {
        return client.transport()
                .text(Request.get(path)
                        .template(template)
                        .param("format", "xml")
                        .build());
    }

    /**
     * Reads the object's full document as XNAT's JSON ({@code format=json}).
     *
     * @return the JSON text ({@code items}, each with {@code data_fields}, {@code meta} and {@code children});
     *     {@link XnatNotFoundException} when the object does not exist
     */
    public Mono<String> json() {
        return client.transport().text(jsonRequest());
    }

    private Request jsonRequest() {
        return Request.get(path).template(template).param("format", "json").build();
    }

    /**
     * Reads the object's own fields from its JSON document.
     *
     * @return the {@code data_fields}, keyed by flattened XPath ({@code label}, {@code demographics/gender}...), in
     *     the server's order; nested values as JSON text
     */
    public Mono<Map<String, String>> fields() {
        return jsonDocument().map(Document::fields);
    }

    /** The data type ({@code meta/xsi:type}) and {@code data_fields} of the JSON document, from one request. */
    Mono<Document> jsonDocument() {
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

    /**
     * Reads the object's full XML document with typed access to its values ({@link XnatDocument}).
     *
     * @return the document; {@link XnatNotFoundException} when the object does not exist,
     *     {@link XnatProtocolException} when the server's reply is not XML
     */
    public Mono<XnatDocument> document() {
        return xml()
                // the XML parser may read its JAXP configuration from disk: off the event loop
                .publishOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .map(text -> XnatDocument.fromServer(text, path));
    }

    /**
     * Creates or updates the object from an XML document: {@code PUT} with the document as a {@code text/xml} body.
     * The document's values merge onto the stored ones; with {@code allowDataDeletion} they replace them (values the
     * document leaves out are removed). A session's document creates or updates the scans, reconstructions and
     * assessors it holds. Query-string fields do not apply: everything comes from the document.
     *
     * <pre>{@code
     * XnatDocument source = xnat.project("P1").subject("P1_S001").experiment("P1_S001_MR1")
     *         .document()
     *         .block();
     * String id = xnat.project("P2").subject("S1").experiment("MR1")
     *         .putDocument(source.copyFor("P2", "MR1"), false)
     *         .block(); // the new session's accession ID; its scans come with it
     * }</pre>
     *
     * @param document the document, e.g. from {@link #document()} or {@link XnatDocument#parse(String)}
     * @param allowDataDeletion whether values the document leaves out are removed
     * @return the accession ID the server answers (subjects, experiments, assessors), or empty when it answers
     *     none (scans, reconstructions, projects); {@link XnatHttpException} subclasses for what the server
     *     refuses (400 for a value its schema type cannot hold, 409 for a change of data type or project)
     */
    public Mono<String> putDocument(XnatDocument document, boolean allowDataDeletion) {
        return Mono.fromCallable(document::toXml)
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .flatMap(xml -> {
                    byte[] data = xml.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    Request.Builder b = Request.put(path)
                            .template(template)
                            .body(
                                    "text/xml",
                                    data.length,
                                    () -> Mono.fromSupplier(() -> io.netty.buffer.Unpooled.wrappedBuffer(data)));
                    if (allowDataDeletion) {
                        b.param("allowDataDeletion", "true");
                    }
                    return client.transport()
                            .exchange(b.build(), BodyReaders.text().map((res, text) -> text.strip()))
                            .next();
                })
                .filter(id -> !id.isEmpty());
    }

    /** The custom variables of this subject or experiment ({@code fields/field}). */
    Mono<Map<String, String>> customFieldsOf() {
        return document().map(XnatDocument::customFields);
    }

    /**
     * Sets values under a repeated element: {@code {type}/{collection}[name=K]/{text}=V} for each entry, with the
     * object's data type (read from its document unless given).
     */
    Mono<Void> setNamed(String xsiType, String collection, String text, Map<String, String> values) {
        if (values.isEmpty()) {
            return Mono.empty();
        }
        Mono<String> type = xsiType != null ? Mono.just(xsiType) : document().map(XnatDocument::xsiType);
        return type.flatMap(t -> {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("xsiType", t);
            values.forEach((k, v) -> {
                if (k.isEmpty() || k.contains("]")) {
                    throw new IllegalArgumentException("Invalid name: '" + k + "'");
                }
                params.put(t + "/" + collection + "[name=" + k + "]/" + text, v);
            });
            return put(params).then();
        });
    }

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
