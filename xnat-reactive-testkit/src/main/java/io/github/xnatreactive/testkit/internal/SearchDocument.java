package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A search as XNAT reads it: an {@code xdat:search} or {@code xdat:bundle} document (the element XNAT's
 * {@code security.xsd} declares for {@code xdat:stored_search}) with its root element, its fields and its criteria
 * in nested AND/OR sets. Something else, or XML that does not parse, is a 422 as in XNAT.
 *
 * @param id the document's {@code ID} attribute ("" when absent)
 * @param briefDescription the {@code brief-description} attribute (a saved search's name)
 * @param description the {@code description} attribute
 * @param rootElement the data type of the rows ({@code xdat:root_element_name})
 * @param fields the columns, in their {@code sequence} order
 * @param where the criteria ({@code xdat:search_where}), an empty AND set when absent
 * @param allowedUsers the logins of {@code xdat:allowed_user}
 * @param xml the document as sent
 */
record SearchDocument(
        String id,
        String briefDescription,
        String description,
        String rootElement,
        List<Field> fields,
        CriteriaSet where,
        List<String> allowedUsers,
        String xml) {

    /** One column: a display field (or XPath) of an element. */
    record Field(String element, String fieldId, String header, String type, int sequence) {}

    /** One criterion: {@code element/FIELD}, a comparison and a value. */
    record Criterion(String element, String field, String comparison, String value) {}

    /** Criteria and child sets joined by {@code method} (AND or OR). */
    record CriteriaSet(String method, List<Criterion> criteria, List<CriteriaSet> children) {}

    static SearchDocument parse(byte[] bytes) {
        Element root = Documents.dom(bytes).getDocumentElement();
        String local = root.getLocalName() == null ? root.getTagName() : root.getLocalName();
        if (!local.equals("search") && !local.equals("bundle")) {
            throw new XnatError(422, "Not a stored search document: " + root.getTagName());
        }
        String rootElement = text(child(root, "root_element_name"));
        if (rootElement.isEmpty()) {
            throw new XnatError(422, "The search document has no root_element_name.");
        }
        List<Field> fields = new ArrayList<>();
        int n = 0;
        for (Element f : children(root, "search_field")) {
            String element = text(child(f, "element_name"));
            String id = text(child(f, "field_ID"));
            if (element.isEmpty() || id.isEmpty()) {
                throw new XnatError(422, "A search_field needs an element_name and a field_ID.");
            }
            String seq = text(child(f, "sequence"));
            int sequence = n++;
            if (!seq.isEmpty()) {
                try {
                    sequence = Integer.parseInt(seq.trim());
                } catch (NumberFormatException e) {
                    throw new XnatError(422, "Invalid sequence in search_field: " + seq);
                }
            }
            fields.add(new Field(element, id, text(child(f, "header")), text(child(f, "type")), sequence));
        }
        fields.sort(java.util.Comparator.comparingInt(Field::sequence));
        Element where = child(root, "search_where");
        CriteriaSet set = where == null ? new CriteriaSet("AND", List.of(), List.of()) : criteriaSet(where);
        List<String> users = new ArrayList<>();
        for (Element u : children(root, "allowed_user")) {
            for (Element login : children(u, "login")) {
                users.add(text(login));
            }
        }
        String xml = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        return new SearchDocument(
                root.getAttribute("ID"),
                root.getAttribute("brief-description"),
                root.getAttribute("description"),
                rootElement,
                List.copyOf(fields),
                set,
                List.copyOf(users),
                xml);
    }

    private static CriteriaSet criteriaSet(Element e) {
        String method = e.getAttribute("method").trim().toUpperCase(Locale.ROOT);
        if (method.isEmpty()) {
            method = "AND";
        }
        if (!method.equals("AND") && !method.equals("OR")) {
            throw new XnatError(422, "A criteria set's method must be AND or OR, not " + method);
        }
        List<Criterion> criteria = new ArrayList<>();
        for (Element c : children(e, "criteria")) {
            String schemaField = text(child(c, "schema_field"));
            int slash = schemaField.indexOf('/');
            if (slash <= 0) {
                throw new XnatError(422, "A criteria's schema_field must be element/FIELD: " + schemaField);
            }
            criteria.add(new Criterion(
                    schemaField.substring(0, slash),
                    schemaField.substring(slash + 1),
                    text(child(c, "comparison_type")).trim(),
                    text(child(c, "value"))));
        }
        List<CriteriaSet> sets = new ArrayList<>();
        for (Element c : children(e, "child_set")) {
            sets.add(criteriaSet(c));
        }
        return new CriteriaSet(method, List.copyOf(criteria), List.copyOf(sets));
    }

    /** The same document under another ID (a saved search keeps its path's ID). */
    String xmlWithId(String newId) {
        Element root = Documents.dom(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .getDocumentElement();
        root.setAttribute("ID", newId);
        try {
            javax.xml.transform.Transformer t =
                    javax.xml.transform.TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "no");
            java.io.StringWriter out = new java.io.StringWriter();
            t.transform(
                    new javax.xml.transform.dom.DOMSource(root.getOwnerDocument()),
                    new javax.xml.transform.stream.StreamResult(out));
            return out.toString();
        } catch (javax.xml.transform.TransformerException e) {
            throw new IllegalStateException("Cannot write a search document", e);
        }
    }

    private static List<Element> children(Element parent, String local) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && local.equals(e.getLocalName() == null ? e.getTagName() : e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element child(Element parent, String local) {
        List<Element> all = children(parent, local);
        return all.isEmpty() ? null : all.get(0);
    }

    private static String text(Element e) {
        return e == null ? "" : e.getTextContent().trim();
    }
}
