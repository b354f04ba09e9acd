package io.github.xnatreactive.testkit.internal;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Single-object documents: XFT-like XML and the items/data_fields JSON (contract section 3), and XML input. */
public final class Documents {
    private Documents() {}

    static final String NAMESPACES =
            " xmlns:arc=\"http://nrg.wustl.edu/arc\" xmlns:cat=\"http://nrg.wustl.edu/catalog\""
                    + " xmlns:prov=\"http://www.nbirn.net/prov\" xmlns:val=\"http://nrg.wustl.edu/val\""
                    + " xmlns:wrk=\"http://nrg.wustl.edu/workflow\" xmlns:xdat=\"http://nrg.wustl.edu/security\""
                    + " xmlns:xnat=\"http://nrg.wustl.edu/xnat\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

    /**
     * Fields are stored under lower-cased keys (requests may spell them in any case); documents spell them as the
     * XNAT schema does.
     */
    private static final Map<String, String> SCHEMA_NAMES = Map.of(
            "fieldstrength", "fieldStrength",
            "uid", "UID",
            "basescantype", "baseScanType",
            "secondary_id", "secondary_ID",
            "pi", "PI",
            "visit_id", "visit_id",
            "acquisition_site", "acquisition_site");

    /** The schema spelling of a stored field key ({@code fieldstrength} to {@code fieldStrength}). */
    static String schemaName(String key) {
        String[] parts = key.split("/");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = SCHEMA_NAMES.getOrDefault(parts[i], parts[i]);
        }
        return String.join("/", parts);
    }

    // ------------------------------------------------------------------ XML out

    public static String xml(Item it, String serverRoot) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        String root = Types.rootElement(it.xsiType);
        b.append('<').append(root).append(" ID=\"").append(Pages.escape(it.id)).append('"');
        if (it.kind != Kind.PROJECT) {
            b.append(" project=\"").append(Pages.escape(it.project.id)).append('"');
        }
        if (it.kind != Kind.SCAN && it.kind != Kind.RECONSTRUCTION) {
            b.append(" label=\"").append(Pages.escape(it.label)).append('"');
        }
        if (it.kind == Kind.SCAN || it.kind == Kind.RECONSTRUCTION) {
            b.append(" type=\"").append(Pages.escape(it.field("type"))).append('"');
        }
        b.append(NAMESPACES)
                .append(" xsi:schemaLocation=\"http://nrg.wustl.edu/xnat ")
                .append(serverRoot)
                .append("/schemas/xnat/xnat.xsd\">\n");
        body(b, it, "  ");
        b.append("</").append(root).append(">\n");
        return b.toString();
    }

    private static void body(StringBuilder b, Item it, String indent) {
        if (it.kind == Kind.PROJECT && !it.aliases.isEmpty()) {
            b.append(indent).append("<xnat:aliases>");
            for (String a : it.aliases) {
                b.append("<xnat:alias>").append(Pages.escape(a)).append("</xnat:alias>");
            }
            b.append("</xnat:aliases>\n");
        }
        fields(b, it.fields, indent, it.kind == Kind.SCAN || it.kind == Kind.RECONSTRUCTION);
        if (!it.resources.isEmpty()) {
            b.append(indent).append("<xnat:resources>\n");
            for (Resource r : it.resources) {
                b.append(indent)
                        .append("  <xnat:file xsi:type=\"xnat:resourceCatalog\" label=\"")
                        .append(Pages.escape(r.label))
                        .append("\" format=\"")
                        .append(Pages.escape(r.format))
                        .append("\" content=\"")
                        .append(Pages.escape(r.content))
                        .append("\" file_count=\"")
                        .append(r.files.size())
                        .append("\" file_size=\"")
                        .append(r.totalSize())
                        .append("\"/>\n");
            }
            b.append(indent).append("</xnat:resources>\n");
        }
        if (it.kind == Kind.SESSION) {
            children(b, it, Kind.SCAN, "scans", "scan", indent);
            children(b, it, Kind.RECONSTRUCTION, "reconstructions", "reconstructedImage", indent);
            children(b, it, Kind.ASSESSOR, "assessors", "assessor", indent);
            b.append(indent)
                    .append("<xnat:subject_ID>")
                    .append(Pages.escape(it.parent.id))
                    .append("</xnat:subject_ID>\n");
        }
        if (it.kind == Kind.ASSESSOR) {
            b.append(indent)
                    .append("<xnat:imageSession_ID>")
                    .append(Pages.escape(it.parent.id))
                    .append("</xnat:imageSession_ID>\n");
        }
    }

    private static void children(StringBuilder b, Item session, Kind kind, String wrapper, String element, String in) {
        List<Item> cs = session.children(kind);
        if (cs.isEmpty()) {
            return;
        }
        b.append(in).append("<xnat:").append(wrapper).append(">\n");
        for (Item c : cs) {
            b.append(in)
                    .append("  <xnat:")
                    .append(element)
                    .append(" ID=\"")
                    .append(Pages.escape(c.id))
                    .append('"');
            if (kind == Kind.ASSESSOR) {
                b.append(" label=\"").append(Pages.escape(c.label)).append('"');
            } else {
                b.append(" type=\"").append(Pages.escape(c.field("type"))).append('"');
            }
            b.append(" xsi:type=\"").append(Pages.escape(c.xsiType)).append("\">\n");
            body(b, c, in + "    ");
            b.append(in).append("  </xnat:").append(element).append(">\n");
        }
        b.append(in).append("</xnat:").append(wrapper).append(">\n");
    }

    /** Writes fields as nested elements: {@code demographics/gender} becomes a demographics element with gender. */
    private static void fields(StringBuilder b, Map<String, String> fields, String indent, boolean typeIsAttribute) {
        Map<String, Object> tree = new TreeMap<>();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (typeIsAttribute && f.getKey().equals("type")) {
                continue;
            }
            insert(tree, f.getKey().split("/"), 0, f.getValue());
        }
        writeTree(b, tree, indent);
    }

    @SuppressWarnings("unchecked")
    private static void insert(Map<String, Object> tree, String[] path, int i, String value) {
        if (i == path.length - 1) {
            tree.put(path[i], value);
            return;
        }
        Object sub = tree.get(path[i]);
        if (!(sub instanceof Map)) {
            sub = new TreeMap<String, Object>();
            tree.put(path[i], sub);
        }
        insert((Map<String, Object>) sub, path, i + 1, value);
    }

    @SuppressWarnings("unchecked")
    private static void writeTree(StringBuilder b, Map<String, Object> tree, String indent) {
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            String name = "xnat:" + schemaName(e.getKey());
            if (e.getValue() instanceof Map) {
                b.append(indent).append('<').append(name);
                if (e.getKey().equals("demographics")) {
                    b.append(" xsi:type=\"xnat:demographicData\"");
                }
                b.append(">\n");
                writeTree(b, (Map<String, Object>) e.getValue(), indent + "  ");
                b.append(indent).append("</").append(name).append(">\n");
            } else {
                b.append(indent)
                        .append('<')
                        .append(name)
                        .append('>')
                        .append(Pages.escape((String) e.getValue()))
                        .append("</")
                        .append(name)
                        .append(">\n");
            }
        }
    }

    // ------------------------------------------------------------------ JSON out

    public static String json(Item it) {
        StringBuilder b = new StringBuilder("{\"items\":[");
        jsonItem(b, it);
        return b.append("]}").toString();
    }

    private static void jsonItem(StringBuilder b, Item it) {
        b.append("{\"meta\":{\"isHistory\":false,\"xsi:type\":");
        Json.string(b, it.xsiType).append(",\"start_date\":");
        Json.string(b, it.insertDate).append("},\"data_fields\":{");
        Map<String, String> data = new LinkedHashMap<>();
        data.put("ID", it.id);
        if (it.kind != Kind.PROJECT) {
            data.put("project", it.project.id);
        }
        if (it.kind != Kind.SCAN && it.kind != Kind.RECONSTRUCTION) {
            data.put("label", it.label);
        }
        if (it.kind == Kind.SESSION) {
            data.put("subject_ID", it.parent.id);
        }
        if (it.kind == Kind.ASSESSOR) {
            data.put("imageSession_ID", it.parent.id);
        }
        for (Map.Entry<String, String> f : it.fields.entrySet()) {
            data.put(schemaName(f.getKey()), f.getValue());
        }
        boolean first = true;
        for (Map.Entry<String, String> e : data.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            Json.string(b, e.getKey()).append(':');
            Json.string(b, e.getValue());
        }
        b.append("},\"children\":[");
        boolean firstChild = true;
        for (Object[] group : new Object[][] {
            {Kind.SCAN, "scans/scan"},
            {Kind.RECONSTRUCTION, "reconstructions/reconstructedImage"},
            {Kind.ASSESSOR, "assessors/assessor"}
        }) {
            List<Item> cs = it.children((Kind) group[0]);
            if (cs.isEmpty()) {
                continue;
            }
            if (!firstChild) {
                b.append(',');
            }
            firstChild = false;
            b.append("{\"field\":");
            Json.string(b, (String) group[1]).append(",\"items\":[");
            for (int i = 0; i < cs.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                jsonItem(b, cs.get(i));
            }
            b.append("]}");
        }
        // resources as XNAT nests them: a scan's as "file", an assessor's or reconstruction's inputs and outputs
        // as "in/file" and "out/file", every other object's as "resources/resource"
        String plain = it.kind == Kind.SCAN ? "file" : "resources/resource";
        for (String direction : new String[] {null, "in", "out"}) {
            List<Resource> rs = new java.util.ArrayList<>();
            for (Resource r : it.resources) {
                if (java.util.Objects.equals(r.direction, direction)) {
                    rs.add(r);
                }
            }
            if (rs.isEmpty()) {
                continue;
            }
            if (!firstChild) {
                b.append(',');
            }
            firstChild = false;
            b.append("{\"field\":").append(Json.quote(direction == null ? plain : direction + "/file"));
            b.append(",\"items\":[");
            for (int i = 0; i < rs.size(); i++) {
                Resource r = rs.get(i);
                if (i > 0) {
                    b.append(',');
                }
                b.append("{\"meta\":{\"isHistory\":false,\"xsi:type\":\"xnat:resourceCatalog\"},\"data_fields\":{");
                b.append("\"xnat_abstractresource_id\":").append(Json.quote(Long.toString(r.id)));
                b.append(",\"label\":").append(Json.quote(r.label));
                b.append(",\"format\":").append(Json.quote(r.format));
                b.append(",\"content\":").append(Json.quote(r.content));
                b.append(",\"file_count\":").append(Json.quote(Integer.toString(r.files.size())));
                b.append("},\"children\":[]}");
            }
            b.append("]}");
        }
        b.append("]}");
    }

    // ------------------------------------------------------------------ XML in

    /** Parses XML safely (no DTDs, no external entities); what cannot be parsed is a 422, as XNAT answers. */
    static Document dom(byte[] xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder db = f.newDocumentBuilder();
            db.setErrorHandler(null);
            return db.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new XnatError(422, "Unable to parse the XML document: " + e.getMessage());
        }
    }

    /** What an XML body says about an object: its type, ID, label, project and flattened fields. */
    public record Parsed(String xsiType, String id, String label, String project, Map<String, String> fields) {}

    /** Parses an XFT XML document (no DTDs, no external entities). Unparseable or not XNAT-shaped: 422. */
    public static Parsed parse(byte[] xml) {
        Element root = dom(xml).getDocumentElement();
        String type = root.getAttributeNS("http://www.w3.org/2001/XMLSchema-instance", "type");
        if (type.isEmpty()) {
            type = Types.typeOfRoot(root.getTagName());
            if (type == null && root.getPrefix() != null) {
                String local = root.getLocalName();
                type = root.getPrefix() + ":" + Character.toLowerCase(local.charAt(0)) + local.substring(1) + "Data";
            }
        }
        if (type == null || type.isEmpty()) {
            throw new XnatError(422, "The XML document is not an XNAT data type: " + root.getTagName());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        flatten(root, "", fields);
        return new Parsed(type, attr(root, "ID"), attr(root, "label"), attr(root, "project"), fields);
    }

    private static String attr(Element e, String name) {
        String v = e.getAttribute(name);
        return v.isEmpty() ? null : v;
    }

    private static void flatten(Element e, String prefix, Map<String, String> out) {
        NodeList kids = e.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            Node n = kids.item(i);
            if (n.getNodeType() != Node.ELEMENT_NODE) {
                continue;
            }
            Element c = (Element) n;
            String name = c.getLocalName() == null ? c.getTagName() : c.getLocalName();
            String path = prefix.isEmpty() ? name : prefix + "/" + name;
            String lower = path.toLowerCase(java.util.Locale.ROOT);
            if (lower.equals("scans")
                    || lower.equals("resources")
                    || lower.equals("sharing")
                    || lower.equals("assessors")
                    || lower.equals("reconstructions")
                    || lower.equals("aliases")
                    || lower.equals("subject_id")
                    || lower.equals("imagesession_id")) {
                continue;
            }
            if (hasElementChildren(c)) {
                flatten(c, path, out);
            } else {
                out.put(lower, c.getTextContent().trim());
            }
            NamedNodeMap attrs = c.getAttributes();
            for (int j = 0; j < attrs.getLength(); j++) {
                Node a = attrs.item(j);
                if (a.getNamespaceURI() == null && !hasElementChildren(c)) {
                    out.put(lower + "/" + a.getLocalName().toLowerCase(java.util.Locale.ROOT), a.getNodeValue());
                }
            }
        }
    }

    private static boolean hasElementChildren(Element e) {
        NodeList kids = e.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            if (kids.item(i).getNodeType() == Node.ELEMENT_NODE) {
                return true;
            }
        }
        return false;
    }
}
