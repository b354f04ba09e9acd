package io.github.xnatreactive.testkit.internal;

/**
 * The data-type schemas (XNAT's {@code SchemaApi}): {@code GET /xapi/schemas} lists their names as a JSON array,
 * {@code GET /xapi/schemas/{name}} answers one XSD ({@code text/xml}), 404 for a name it does not list. The classic
 * {@code /schemas/{folder}/{name}.xsd} that documents' {@code xsi:schemaLocation} names serves the same files.
 */
final class SchemaHandlers {
    private SchemaHandlers() {}

    static Reply list(Call c) {
        StringBuilder b = new StringBuilder("[");
        for (String n : DocSchema.NAMES) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(Json.quote(n));
        }
        return Reply.text(200, "application/json", b.append(']').toString());
    }

    static Reply get(Call c) {
        return xsd(c.var("name"));
    }

    /** {@code /schemas/xnat/xnat.xsd}: the file name without {@code .xsd} names the schema. */
    static Reply file(Call c) {
        String file = c.var("file");
        return xsd(file.endsWith(".xsd") ? file.substring(0, file.length() - 4) : "");
    }

    private static Reply xsd(String name) {
        String text = DocSchema.xsd(name);
        if (text == null) {
            throw XnatError.notFound("No schema named " + name);
        }
        return Reply.text(200, "text/xml", text);
    }
}
