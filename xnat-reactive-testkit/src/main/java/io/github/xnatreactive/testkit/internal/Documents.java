package io.github.xnatreactive.testkit.internal;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** Root attributes besides ID, project and label, per kind of object: stored fields XNAT writes as attributes. */
    private static final Map<Kind, Set<String>> ROOT_ATTRIBUTES = Map.of(
            Kind.PROJECT, Set.of("secondary_id", "active"),
            Kind.SUBJECT, Set.of("group", "src", "initials"),
            Kind.SESSION, Set.of("visit_id", "visit", "version", "original", "protocol"),
            Kind.ASSESSOR, Set.of("visit_id", "visit", "version", "original", "protocol"),
            Kind.SCAN, Set.of("type", "uid"),
            Kind.RECONSTRUCTION, Set.of("type", "basescantype"));

    /** Custom variable sets every project document offers (XNAT's study protocols): name to data type. */
    private static final Map<String, String> PROTOCOLS = new java.util.TreeMap<>(Map.of(
            "Subjects", "xnat:subjectData",
            "MR Sessions", "xnat:mrSessionData",
            "PET Sessions", "xnat:petSessionData",
            "CT Sessions", "xnat:ctSessionData"));

    /** The schema spelling of a stored field key ({@code fieldstrength} to {@code fieldStrength}). */
    static String schemaName(String key) {
        return DocKeys.spellKey(key);
    }

    // ------------------------------------------------------------------ XML out

    public static String xml(Item it, String serverRoot) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        String root = Types.rootElement(it.xsiType);
        b.append('<').append(root);
        rootAttributes(b, it);
        b.append(NAMESPACES)
                .append(" xsi:schemaLocation=\"http://nrg.wustl.edu/xnat ")
                .append(serverRoot)
                .append("/schemas/xnat/xnat.xsd\">\n");
        body(b, it, "  ");
        b.append("</").append(root).append(">\n");
        return b.toString();
    }

    private static void rootAttributes(StringBuilder b, Item it) {
        b.append(" ID=\"").append(Pages.escape(it.id)).append('"');
        if (it.kind != Kind.PROJECT) {
            b.append(" project=\"").append(Pages.escape(it.project.id)).append('"');
        }
        if (it.kind != Kind.SCAN && it.kind != Kind.RECONSTRUCTION) {
            b.append(" label=\"").append(Pages.escape(it.label)).append('"');
        }
        for (Map.Entry<String, String> a : rootAttributes(it).entrySet()) {
            b.append(' ')
                    .append(a.getKey())
                    .append("=\"")
                    .append(Pages.escape(a.getValue()))
                    .append('"');
        }
    }

    /** The fields the root element carries as attributes, spelled as the schema does. */
    private static Map<String, String> rootAttributes(Item it) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : new java.util.TreeSet<>(ROOT_ATTRIBUTES.get(it.kind))) {
            String v = it.fields.get(a);
            if (v != null && (!v.isEmpty() || a.equals("type"))) {
                out.put(DocKeys.spell(a), v);
            }
        }
        return out;
    }

    /** The fields of an item as its document writes them (projects offer their custom variable sets). */
    private static DocTree tree(Item it) {
        Map<String, String> fields = it.fields;
        if (it.kind == Kind.PROJECT) {
            fields = new LinkedHashMap<>(fields);
            for (Map.Entry<String, String> p : PROTOCOLS.entrySet()) {
                String key = "studyprotocol[name=" + p.getKey() + "]";
                fields.putIfAbsent(key + "/@id", it.id + "_" + p.getValue().replace(':', '_'));
                fields.putIfAbsent(key + "/@data-type", p.getValue());
            }
        }
        return DocTree.of(fields, ROOT_ATTRIBUTES.get(it.kind));
    }

    private static void body(StringBuilder b, Item it, String indent) {
        if (it.kind == Kind.PROJECT && !it.aliases.isEmpty()) {
            b.append(indent).append("<xnat:aliases>");
            for (String a : it.aliases) {
                b.append("<xnat:alias>").append(Pages.escape(a)).append("</xnat:alias>");
            }
            b.append("</xnat:aliases>\n");
        }
        tree(it).writeChildren(b, indent, false);
        resources(b, it, indent);
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

    /**
     * Resources as XNAT nests them: a scan's as {@code file} elements, an assessor's or reconstruction's inputs and
     * outputs in {@code in} and {@code out}, every other object's in {@code resources}.
     */
    private static void resources(StringBuilder b, Item it, String indent) {
        for (String direction : new String[] {null, "in", "out"}) {
            List<Resource> rs = resources(it, direction);
            if (rs.isEmpty()) {
                continue;
            }
            boolean bare = direction == null && it.kind == Kind.SCAN;
            String wrapper = direction == null ? "resources" : direction;
            String element = direction == null && !bare ? "resource" : "file";
            String in = bare ? indent : indent + "  ";
            if (!bare) {
                b.append(indent).append("<xnat:").append(wrapper).append(">\n");
            }
            for (Resource r : rs) {
                b.append(in)
                        .append("<xnat:")
                        .append(element)
                        .append(" label=\"")
                        .append(Pages.escape(r.label))
                        .append("\" format=\"")
                        .append(Pages.escape(r.format))
                        .append("\" content=\"")
                        .append(Pages.escape(r.content))
                        .append("\" file_count=\"")
                        .append(r.files.size())
                        .append("\" file_size=\"")
                        .append(r.totalSize())
                        .append("\" xsi:type=\"xnat:resourceCatalog\"/>\n");
            }
            if (!bare) {
                b.append(indent).append("</xnat:").append(wrapper).append(">\n");
            }
        }
    }

    /** The item's resources of one direction (null: its plain resources). */
    private static List<Resource> resources(Item it, String direction) {
        List<Resource> rs = new java.util.ArrayList<>();
        for (Resource r : it.resources) {
            if (java.util.Objects.equals(r.direction, direction)) {
                rs.add(r);
            }
        }
        return rs;
    }

    private static void children(StringBuilder b, Item session, Kind kind, String wrapper, String element, String in) {
        List<Item> cs = session.children(kind);
        if (cs.isEmpty()) {
            return;
        }
        b.append(in).append("<xnat:").append(wrapper).append(">\n");
        for (Item c : cs) {
            b.append(in).append("  <xnat:").append(element);
            rootAttributes(b, c);
            b.append(" xsi:type=\"").append(Pages.escape(c.xsiType)).append("\">\n");
            body(b, c, in + "    ");
            b.append(in).append("  </xnat:").append(element).append(">\n");
        }
        b.append(in).append("</xnat:").append(wrapper).append(">\n");
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
        data.putAll(rootAttributes(it));
        DocTree tree = tree(it);
        tree.dataFields("", data);
        DocTree.members(b, data);
        b.append("},\"children\":[");
        boolean firstChild = tree.jsonChildren(b, true);
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
            List<Resource> rs = resources(it, direction);
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
        DocumentBuilder db = BUILDER.get();
        try {
            db.setErrorHandler(null);
            return db.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new XnatError(422, "Unable to parse the XML document: " + e.getMessage());
        } finally {
            db.reset();
        }
    }

    /**
     * A parser per thread, made once (a factory found through the service loader and its builder cost more than
     * parsing a session's document); {@code reset()} after each document returns it to its configuration.
     */
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(() -> {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (javax.xml.parsers.ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser cannot be configured: " + e.getMessage(), e);
        }
    });

    /**
     * What an XML body says about an object: its type, ID, label, project, its fields keyed as {@link DocKeys}
     * keeps them, and (for a session) the scans, reconstructions and assessors it holds.
     */
    public record Parsed(
            String xsiType,
            String id,
            String label,
            String project,
            Map<String, String> fields,
            List<Child> children) {}

    /** A scan, reconstruction or assessor inside a session's document. */
    public record Child(Kind kind, Parsed doc) {}

    /** Elements of an object's document that are not its own fields: nested objects, resources, references. */
    private static final Set<String> NOT_FIELDS = Set.of(
            "scans",
            "resources",
            "file",
            "in",
            "out",
            "sharing",
            "assessors",
            "reconstructions",
            "experiments",
            "aliases",
            "subject_id",
            "imagesession_id");

    /** Parses an XFT XML document (no DTDs, no external entities). Unparseable or not XNAT-shaped: 422. */
    public static Parsed parse(byte[] xml) {
        Element root = dom(xml).getDocumentElement();
        String type = root.getAttributeNS(XSI, "type");
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
        return parsed(root, type);
    }

    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    private static Parsed parsed(Element e, String type) {
        Map<String, String> fields = new LinkedHashMap<>();
        NamedNodeMap attrs = e.getAttributes();
        for (int j = 0; j < attrs.getLength(); j++) {
            Node a = attrs.item(j);
            String name = a.getLocalName() == null ? a.getNodeName() : a.getLocalName();
            if (a.getNamespaceURI() == null && !Set.of("ID", "label", "project").contains(name)) {
                DocKeys.learn(name);
                fields.put(name.toLowerCase(java.util.Locale.ROOT), a.getNodeValue());
            }
        }
        flatten(e, "", fields);
        List<Child> children = new java.util.ArrayList<>();
        for (Element wrapper : elements(e)) {
            Kind kind =
                    switch (local(wrapper)) {
                        case "scans" -> Kind.SCAN;
                        case "reconstructions" -> Kind.RECONSTRUCTION;
                        case "assessors" -> Kind.ASSESSOR;
                        default -> null;
                    };
            if (kind == null) {
                continue;
            }
            for (Element c : elements(wrapper)) {
                String t = c.getAttributeNS(XSI, "type");
                if (t.isEmpty()) {
                    t = kind == Kind.RECONSTRUCTION ? "xnat:reconstructedImageData" : null;
                }
                if (t == null) {
                    throw XnatError.badRequest("A " + kind.word() + " in the document has no xsi:type.");
                }
                children.add(new Child(kind, parsed(c, t)));
            }
        }
        return new Parsed(type, attr(e, "ID"), attr(e, "label"), attr(e, "project"), fields, children);
    }

    private static String local(Element e) {
        String name = e.getLocalName() == null ? e.getTagName() : e.getLocalName();
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    private static List<Element> elements(Element e) {
        List<Element> out = new java.util.ArrayList<>();
        NodeList kids = e.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            if (kids.item(i).getNodeType() == Node.ELEMENT_NODE) {
                out.add((Element) kids.item(i));
            }
        }
        return out;
    }

    private static String attr(Element e, String name) {
        String v = e.getAttribute(name);
        return v.isEmpty() ? null : v;
    }

    /**
     * Flattens the element's children into stored keys: repeated elements keyed by their attribute or position,
     * attributes as {@code @name} steps, texts as values.
     */
    private static void flatten(Element e, String prefix, Map<String, String> out) {
        Map<String, Integer> positions = new java.util.HashMap<>();
        for (Element c : elements(e)) {
            String original = c.getLocalName() == null ? c.getTagName() : c.getLocalName();
            String name = local(c);
            if (prefix.isEmpty() && NOT_FIELDS.contains(name)) {
                continue;
            }
            DocKeys.learn(original);
            String step = name;
            String keyAttr = DocKeys.keyAttribute(name);
            if (keyAttr != null && !c.getAttribute(keyAttr).isEmpty()) {
                step = name + "[" + keyAttr + "=" + c.getAttribute(keyAttr) + "]";
            } else if (DocKeys.indexed(name)) {
                step = name + "[" + positions.merge(name, 1, Integer::sum) + "]";
            }
            String path = prefix + step;
            NamedNodeMap attrs = c.getAttributes();
            boolean hasAttrs = false;
            for (int j = 0; j < attrs.getLength(); j++) {
                Node a = attrs.item(j);
                String an = a.getLocalName() == null ? a.getNodeName() : a.getLocalName();
                if (a.getNamespaceURI() != null || an.equals(keyAttr)) {
                    continue;
                }
                DocKeys.learn(an);
                out.put(path + "/@" + an.toLowerCase(java.util.Locale.ROOT), a.getNodeValue());
                hasAttrs = true;
            }
            if (!elements(c).isEmpty()) {
                flatten(c, path + "/", out);
            } else {
                String text = c.getTextContent().trim();
                if (!text.isEmpty() || !hasAttrs) {
                    out.put(path, text);
                }
            }
        }
    }
}
