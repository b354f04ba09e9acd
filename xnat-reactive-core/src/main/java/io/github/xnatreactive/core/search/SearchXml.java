package io.github.xnatreactive.core.search;

import io.github.xnatreactive.core.internal.SafeXml;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Writes and reads XNAT's {@code xdat:search} document (namespace {@code http://nrg.wustl.edu/security}). */
final class SearchXml {
    static final String NS = "http://nrg.wustl.edu/security";

    private SearchXml() {}

    static String write(SearchQuery q) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append("<xdat:search xmlns:xdat=\"")
                .append(NS)
                .append("\" ID=\"\" allow-diff-columns=\"0\"")
                .append(" secure=\"false\" brief-description=\"")
                .append(escape(q.name()))
                .append("\" description=\"")
                .append(escape(q.description()))
                .append("\">\n");
        b.append("  <xdat:root_element_name>").append(escape(q.rootType())).append("</xdat:root_element_name>\n");
        int seq = 0;
        for (SearchField f : q.fields()) {
            b.append("  <xdat:search_field><xdat:element_name>")
                    .append(escape(f.element()))
                    .append("</xdat:element_name><xdat:field_ID>")
                    .append(escape(f.fieldId()))
                    .append("</xdat:field_ID><xdat:sequence>")
                    .append(seq++)
                    .append("</xdat:sequence><xdat:type>string</xdat:type>");
            if (!f.header().isEmpty()) {
                b.append("<xdat:header>").append(escape(f.header())).append("</xdat:header>");
            }
            b.append("</xdat:search_field>\n");
        }
        Criteria c = q.criteria().orElse(null);
        Criteria.Group where =
                c == null ? null : c instanceof Criteria.Group g ? g : new Criteria.Group(false, List.of(c));
        b.append("  <xdat:search_where method=\"")
                .append(where != null && where.or() ? "OR" : "AND")
                .append("\">");
        if (where != null) {
            members(b, q, where);
        }
        b.append("</xdat:search_where>\n");
        if (!q.allowedUsers().isEmpty()) {
            b.append("  <xdat:allowed_user>");
            for (String login : q.allowedUsers()) {
                b.append("<xdat:login>").append(escape(login)).append("</xdat:login>");
            }
            b.append("</xdat:allowed_user>\n");
        }
        return b.append("</xdat:search>\n").toString();
    }

    private static void members(StringBuilder b, SearchQuery q, Criteria.Group g) {
        for (Criteria m : g.members()) {
            if (m instanceof Criteria.Condition c) {
                b.append("<xdat:criteria override_value_formatting=\"0\"><xdat:schema_field>")
                        .append(escape(q.schemaField(c.field())))
                        .append("</xdat:schema_field><xdat:comparison_type>")
                        .append(escape(c.comparison().symbol()))
                        .append("</xdat:comparison_type><xdat:value>")
                        .append(escape(c.value()))
                        .append("</xdat:value></xdat:criteria>");
            }
        }
        for (Criteria m : g.members()) {
            if (m instanceof Criteria.Group sub) {
                b.append("<xdat:child_set method=\"")
                        .append(sub.or() ? "OR" : "AND")
                        .append("\">");
                members(b, q, sub);
                b.append("</xdat:child_set>");
            }
        }
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    static SearchQuery read(String xml) {
        Element root;
        try {
            root = SafeXml.parse(xml).getDocumentElement();
        } catch (Exception e) {
            throw new IllegalArgumentException("Not a search document: " + e.getMessage(), e);
        }
        String local = localName(root);
        if (!local.equals("search") && !local.equals("bundle")) {
            throw new IllegalArgumentException("Not a search document: its root is " + root.getTagName());
        }
        String rootType = text(child(root, "root_element_name"));
        SearchQuery shape = SearchQuery.of(rootType);
        List<SearchField> fields = new ArrayList<>();
        for (Element sf : children(root, "search_field")) {
            fields.add(new SearchField(
                    text(child(sf, "element_name")), text(child(sf, "field_ID")), text(child(sf, "header"))));
        }
        Element where = child(root, "search_where");
        Criteria criteria = where == null ? null : group(where, rootType);
        List<String> users = new ArrayList<>();
        for (Element u : children(root, "allowed_user")) {
            for (Element login : children(u, "login")) {
                users.add(text(login));
            }
        }
        return SearchQuery.of(
                shape.rootType(),
                fields,
                criteria,
                root.getAttribute("brief-description"),
                root.getAttribute("description"),
                users);
    }

    /** A criteria set as a group, or null when it holds nothing. */
    private static Criteria.Group group(Element set, String rootType) {
        List<Criteria> members = new ArrayList<>();
        for (Element c : children(set, "criteria")) {
            String field = text(child(c, "schema_field"));
            if (field.regionMatches(true, 0, rootType + "/", 0, rootType.length() + 1)) {
                field = field.substring(rootType.length() + 1);
            }
            members.add(Criteria.of(field, Comparison.of(text(child(c, "comparison_type"))), text(child(c, "value"))));
        }
        for (Element c : children(set, "child_set")) {
            Criteria.Group sub = group(c, rootType);
            if (sub != null) {
                members.add(sub);
            }
        }
        return members.isEmpty()
                ? null
                : new Criteria.Group("OR".equalsIgnoreCase(set.getAttribute("method")), members);
    }

    private static String localName(Element e) {
        return e.getLocalName() == null ? e.getTagName() : e.getLocalName();
    }

    private static List<Element> children(Element parent, String local) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName(e).equals(local)) {
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
