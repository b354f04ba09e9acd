package io.github.xnatreactive.core;

import io.github.xnatreactive.core.internal.SafeXml;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * An object's XML document as XNAT writes it ({@code format=xml}), with typed access: its type, ID, label and
 * project; any value by XNAT field path ({@code parameters/tr}, {@code parameters/voxelRes/x},
 * {@code fields/field[name=site]}) or by XPath; repeated elements as lists and maps (scan parameters, custom
 * fields, provenance steps, the scans, assessors and reconstructions of a session). Immutable; {@link #toXml()}
 * gives the text to send back with {@link ArchiveRef#putDocument(XnatDocument, boolean)}.
 *
 * <pre>{@code
 * XnatDocument session = xnat.project("P1").subject("P1_S001").experiment("P1_S001_MR1")
 *         .document()
 *         .block();
 * XnatDocument scan = session.scans().get(0);
 * String type = scan.field("type").orElse("");              // the type attribute, e.g. T1w
 * Map<String, String> extra = scan.parameters();            // parameters/addParam by name
 * List<String> types = session.values("//xnat:scan/@type"); // XPath, with XNAT's prefixes bound
 * }</pre>
 */
public final class XnatDocument {
    static final String XNAT = "http://nrg.wustl.edu/xnat";
    static final String PROV = "http://www.nbirn.net/prov";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    private static final Map<String, String> PREFIXES = Map.of(
            "xnat", XNAT,
            "prov", PROV,
            "xsi", XSI,
            "cat", "http://nrg.wustl.edu/catalog",
            "xdat", "http://nrg.wustl.edu/security",
            "arc", "http://nrg.wustl.edu/arc",
            "wrk", "http://nrg.wustl.edu/workflow",
            "val", "http://nrg.wustl.edu/val");

    private final Element root;

    private XnatDocument(Element root) {
        this.root = root;
    }

    /**
     * Parses an XNAT XML document (no DTDs, no external entities).
     *
     * @param xml the document's text
     * @return the document
     * @throws IllegalArgumentException when the text is not well-formed XML
     */
    public static XnatDocument parse(String xml) {
        try {
            return new XnatDocument(SafeXml.parse(xml).getDocumentElement());
        } catch (Exception e) {
            throw new IllegalArgumentException("Not an XML document: " + e.getMessage(), e);
        }
    }

    /** An identity transformer per thread, made once (as {@link SafeXml}'s parser); {@code reset()} after each use. */
    private static final ThreadLocal<Transformer> WRITER = ThreadLocal.withInitial(() -> {
        try {
            return TransformerFactory.newDefaultInstance().newTransformer();
        } catch (javax.xml.transform.TransformerConfigurationException e) {
            throw new IllegalStateException("The JDK's XML writer cannot be configured: " + e.getMessage(), e);
        }
    });

    /** Parses a document the server sent: what is not XML is a protocol error. */
    static XnatDocument fromServer(String xml, String path) {
        try {
            return parse(xml);
        } catch (IllegalArgumentException e) {
            throw new XnatProtocolException("The document of " + path + " is not XML: " + e.getMessage(), e);
        }
    }

    /**
     * The data type.
     *
     * @return the root's {@code xsi:type}, else the type its element names ({@code xnat:MRSession} gives
     *     {@code xnat:mrSessionData})
     */
    public String xsiType() {
        return typeOf(root);
    }

    private static String typeOf(Element e) {
        String t = e.getAttributeNS(XSI, "type");
        if (!t.isEmpty()) {
            return t;
        }
        String local = local(e);
        String prefix = e.getPrefix() == null ? "xnat" : e.getPrefix();
        String name =
                switch (local) {
                    case "MRSession" -> "mrSession";
                    case "PETSession" -> "petSession";
                    case "CTSession" -> "ctSession";
                    case "MRScan" -> "mrScan";
                    case "PETScan" -> "petScan";
                    case "CTScan" -> "ctScan";
                    case "QCManualAssessment" -> "qcManualAssessor";
                    case "QCAssessment" -> "qcAssessment";
                    default -> Character.toLowerCase(local.charAt(0)) + local.substring(1);
                };
        return prefix + ":" + name + "Data";
    }

    /**
     * The accession ID (a scan's or reconstruction's ID within its session).
     *
     * @return the root's {@code ID} attribute, or null when it has none
     */
    public String id() {
        return attr(root, "ID");
    }

    /**
     * The label.
     *
     * @return the root's {@code label} attribute, or null when it has none (scans have none)
     */
    public String label() {
        return attr(root, "label");
    }

    /**
     * The owning project.
     *
     * @return the root's {@code project} attribute, or null when it has none
     */
    public String project() {
        return attr(root, "project");
    }

    /**
     * One value by XNAT field path relative to the object, as XNAT's REST API names fields: steps are element
     * names, matched without regard to case; {@code [name=V]} (or {@code [ID=V]}, any attribute) picks one of
     * repeated elements and {@code [N]} the N-th; the last step may name an attribute. The text of a keyed element
     * is reached by the path to it ({@code parameters/addParam[name=TE]}) or with XNAT's own last step
     * ({@code .../addField}, {@code fields/field[name=x]/field}).
     *
     * @param path a field path such as {@code parameters/tr}, {@code scanner/manufacturer} or {@code UID}
     * @return the value, or empty when the document has none there
     */
    public Optional<String> field(String path) {
        List<String> steps = steps(path);
        Element at = root;
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            boolean last = i == steps.size() - 1;
            Element next = child(at, step);
            if (next == null) {
                if (!last) {
                    return Optional.empty();
                }
                String name = step.indexOf('[') < 0 ? step : step.substring(0, step.indexOf('['));
                String a = attrIgnoreCase(at, name);
                if (a != null) {
                    return Optional.of(a);
                }
                boolean textField = name.equalsIgnoreCase("addField") || name.equalsIgnoreCase("field");
                return textField && at != root ? Optional.of(at.getTextContent().trim()) : Optional.empty();
            }
            at = next;
        }
        return Optional.of(at.getTextContent().trim());
    }

    /**
     * The values an XPath 1.0 expression selects, evaluated on the document with XNAT's prefixes bound
     * ({@code xnat}, {@code prov}, {@code xsi}, {@code cat}, {@code xdat}, {@code arc}, {@code wrk}, {@code val}).
     *
     * @param xpath an expression selecting elements, attributes or text, e.g. {@code //xnat:addParam/@name}
     * @return the string value of each node selected, in document order
     * @throws IllegalArgumentException when the expression is not valid XPath
     */
    public List<String> values(String xpath) {
        XPath x = XPathFactory.newDefaultInstance().newXPath();
        x.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return PREFIXES.getOrDefault(prefix, XMLConstants.NULL_NS_URI);
            }

            @Override
            public String getPrefix(String uri) {
                return null;
            }

            @Override
            public java.util.Iterator<String> getPrefixes(String uri) {
                return Collections.emptyIterator();
            }
        });
        try {
            NodeList nodes = (NodeList) x.evaluate(xpath, root, XPathConstants.NODESET);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                out.add(nodes.item(i).getTextContent().trim());
            }
            return out;
        } catch (XPathExpressionException e) {
            throw new IllegalArgumentException("Invalid XPath " + xpath + ": " + e.getMessage(), e);
        }
    }

    /**
     * The extra parameters of a scan, assessor or reconstruction ({@code parameters/addParam}).
     *
     * @return each parameter's name and value, in document order
     */
    public Map<String, String> parameters() {
        return named(child(root, "parameters"), "addParam");
    }

    /**
     * The custom variables of the object ({@code fields/field}).
     *
     * @return each field's name and value, in document order
     */
    public Map<String, String> customFields() {
        return named(child(root, "fields"), "field");
    }

    /**
     * The provenance of an assessor or reconstruction ({@code provenance/prov:processStep}).
     *
     * @return the steps, in document order
     */
    public List<ProcessStep> provenance() {
        List<ProcessStep> out = new ArrayList<>();
        Element prov = child(root, "provenance");
        if (prov != null) {
            for (Element step : elements(prov, "processStep")) {
                out.add(ProcessStep.of(step));
            }
        }
        return out;
    }

    /**
     * A session's scans.
     *
     * @return the documents of {@code scans/scan}, in document order
     */
    public List<XnatDocument> scans() {
        return nested("scans", "scan");
    }

    /**
     * A session's assessors.
     *
     * @return the documents of {@code assessors/assessor}, in document order
     */
    public List<XnatDocument> assessors() {
        return nested("assessors", "assessor");
    }

    /**
     * A session's reconstructions.
     *
     * @return the documents of {@code reconstructions/reconstructedImage}, in document order
     */
    public List<XnatDocument> reconstructions() {
        return nested("reconstructions", "reconstructedImage");
    }

    /**
     * The document as a new object of another project, for creating a copy of it elsewhere (a migration): without
     * the accession IDs the source server gave the object and the assessors it holds, without resource entries
     * (whose files a transfer carries) and references to the parent, with the project and label given. Scans and
     * reconstructions keep their IDs, which are their names within the session.
     *
     * @param project the destination project's ID
     * @param label the object's label there; null keeps the document's label
     * @return a new document; this one is unchanged
     */
    public XnatDocument copyFor(String project, String label) {
        Element copy = copyRoot();
        boolean hasId = !typeOf(copy).toLowerCase(Locale.ROOT).endsWith("scandata")
                && !typeOf(copy).equalsIgnoreCase("xnat:reconstructedImageData");
        if (hasId) {
            copy.removeAttribute("ID");
        }
        copy.setAttribute("project", project);
        if (label != null && copy.hasAttribute("label")) {
            copy.setAttribute("label", label);
        } else if (label != null && hasId) {
            copy.setAttribute("label", label);
        }
        strip(copy);
        return new XnatDocument(copy);
    }

    /**
     * The document without the scans, reconstructions and assessors it holds: for creating a session first and its
     * parts one by one, each from its own document ({@link #scans()}, {@link #assessors()},
     * {@link #reconstructions()}).
     *
     * @return a new document; this one is unchanged
     */
    public XnatDocument withoutNested() {
        Element copy = copyRoot();
        for (Element c : elements(copy, null)) {
            switch (local(c)) {
                case "scans", "reconstructions", "assessors" -> copy.removeChild(c);
                default -> {
                    // a field of the object: kept
                }
            }
        }
        return new XnatDocument(copy);
    }

    /** Removes what a copy must not carry: resources, parent references, nested assessors' IDs and projects. */
    private static void strip(Element object) {
        for (Element c : elements(object, null)) {
            switch (local(c)) {
                case "resources", "file", "in", "out", "sharing", "subject_ID", "imageSession_ID" ->
                    object.removeChild(c);
                case "scans", "reconstructions", "assessors" -> {
                    for (Element item : elements(c, null)) {
                        if (local(item).equals("assessor")) {
                            item.removeAttribute("ID");
                        }
                        item.removeAttribute("project");
                        strip(item);
                    }
                }
                default -> {
                    // a field of the object: kept as it is
                }
            }
        }
    }

    /**
     * The document's text.
     *
     * @return the XML, with an XML declaration
     */
    public String toXml() {
        Transformer t = WRITER.get();
        try {
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(root), new StreamResult(w));
            return w.toString();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot write the document: " + e.getMessage(), e);
        } finally {
            t.reset();
        }
    }

    @Override
    public String toString() {
        return "XnatDocument[" + xsiType() + " " + id() + "/" + label() + "]";
    }

    // ------------------------------------------------------------------ changes the refs make

    /** A copy whose provenance is {@code steps} (replacing it, or after the steps it has). */
    XnatDocument withProvenance(List<ProcessStep> steps, boolean replace) {
        Element copy = copyRoot();
        Element prov = child(copy, "provenance");
        if (prov != null && replace) {
            copy.removeChild(prov);
            prov = null;
        }
        if (prov == null) {
            prov = copy.getOwnerDocument().createElementNS(XNAT, "xnat:provenance");
            copy.insertBefore(prov, copy.getFirstChild());
        }
        for (ProcessStep s : steps) {
            prov.appendChild(s.toElement(copy.getOwnerDocument()));
        }
        return new XnatDocument(copy);
    }

    /** A copy of a project document with {@code fields} defined in the custom variable group of a data type. */
    XnatDocument withDefinitions(String dataType, String group, Map<String, String> fields) {
        Element copy = copyRoot();
        Document d = copy.getOwnerDocument();
        Element protocol = null;
        for (Element p : elements(copy, "studyProtocol")) {
            if (p.getAttribute("data-type").equalsIgnoreCase(dataType)) {
                protocol = p;
            }
        }
        if (protocol == null) {
            throw new IllegalArgumentException("The project has no custom variable set for " + dataType);
        }
        Element definitions = child(protocol, "definitions");
        if (definitions == null) {
            definitions = (Element) protocol.appendChild(d.createElementNS(XNAT, "xnat:definitions"));
        }
        Element definition = null;
        for (Element g : elements(definitions, "definition")) {
            if (g.getAttribute("ID").equals(group)) {
                definition = g;
            }
        }
        if (definition == null) {
            definition = (Element) definitions.appendChild(d.createElementNS(XNAT, "xnat:definition"));
            definition.setAttribute("ID", group);
            definition.setAttribute("data-type", protocol.getAttribute("data-type"));
            definition.setAttribute("description", "");
            definition.setAttribute("project-specific", "1");
        }
        Element list = child(definition, "fields");
        if (list == null) {
            list = (Element) definition.appendChild(d.createElementNS(XNAT, "xnat:fields"));
        }
        String localType = protocol.getAttribute("data-type");
        localType = localType.substring(localType.indexOf(':') + 1);
        for (Map.Entry<String, String> f : fields.entrySet()) {
            Element field = child(list, "field[name=" + f.getKey() + "]");
            if (field == null) {
                field = (Element) list.appendChild(d.createElementNS(XNAT, "xnat:field"));
                field.setAttribute("name", f.getKey());
            }
            field.setAttribute("datatype", f.getValue());
            field.setAttribute("type", "custom");
            field.setAttribute("required", "0");
            field.setAttribute("xmlPath", "xnat:" + localType + "/fields/field[name=" + f.getKey() + "]/field");
        }
        return new XnatDocument(copy);
    }

    /** The custom variables a project document defines. */
    List<CustomVariable> definitions() {
        List<CustomVariable> out = new ArrayList<>();
        for (Element p : elements(root, "studyProtocol")) {
            Element defs = child(p, "definitions");
            if (defs == null) {
                continue;
            }
            for (Element g : elements(defs, "definition")) {
                Element list = child(g, "fields");
                if (list == null) {
                    continue;
                }
                for (Element f : elements(list, "field")) {
                    if (f.getAttribute("type").equals("custom")) {
                        out.add(new CustomVariable(
                                p.getAttribute("data-type"),
                                g.getAttribute("ID"),
                                f.getAttribute("name"),
                                f.getAttribute("datatype")));
                    }
                }
            }
        }
        return out;
    }

    private Element copyRoot() {
        Document owner = root.getOwnerDocument().getImplementation().createDocument(null, null, null);
        Element copy = (Element) owner.importNode(root, true);
        owner.appendChild(copy);
        return copy;
    }

    // ------------------------------------------------------------------ DOM helpers

    private List<XnatDocument> nested(String wrapper, String element) {
        List<XnatDocument> out = new ArrayList<>();
        Element w = child(root, wrapper);
        if (w != null) {
            for (Element e : elements(w, element)) {
                out.add(new XnatDocument(e));
            }
        }
        return out;
    }

    private static Map<String, String> named(Element parent, String element) {
        Map<String, String> out = new LinkedHashMap<>();
        if (parent != null) {
            for (Element e : elements(parent, element)) {
                out.put(e.getAttribute("name"), e.getTextContent().trim());
            }
        }
        return out;
    }

    static String local(Node n) {
        return n.getLocalName() == null ? n.getNodeName() : n.getLocalName();
    }

    private static String attr(Element e, String name) {
        String v = e.getAttribute(name);
        return v.isEmpty() ? null : v;
    }

    private static String attrIgnoreCase(Element e, String name) {
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (a.getNamespaceURI() == null && local(a).equalsIgnoreCase(name)) {
                return a.getValue();
            }
        }
        return null;
    }

    /** Child elements named {@code local} (any namespace; every child when null). */
    static List<Element> elements(Element e, String local) {
        List<Element> out = new ArrayList<>();
        NodeList kids = e.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            if (kids.item(i) instanceof Element c && (local == null || local(c).equalsIgnoreCase(local))) {
                out.add(c);
            }
        }
        return out;
    }

    /** The first child matching one path step ({@code name}, {@code name[attr=value]}, {@code name[N]}), or null. */
    static Element child(Element e, String step) {
        String name = step;
        String key = null;
        String value = null;
        int index = 0;
        int open = step.indexOf('[');
        if (open >= 0) {
            name = step.substring(0, open);
            String pred = step.substring(open + 1, step.lastIndexOf(']')).trim();
            int eq = pred.indexOf('=');
            if (eq < 0) {
                index = Integer.parseInt(pred);
            } else {
                key = pred.substring(0, eq).trim().replaceFirst("^@", "");
                value = pred.substring(eq + 1).trim().replaceAll("^['\"]|['\"]$", "");
            }
        }
        int colon = name.indexOf(':');
        if (colon >= 0) {
            name = name.substring(colon + 1);
        }
        int seen = 0;
        for (Element c : elements(e, name)) {
            if (key != null && !value.equals(attrIgnoreCase(c, key))) {
                continue;
            }
            seen++;
            if (index == 0 || seen == index) {
                return c;
            }
        }
        return null;
    }

    private static List<String> steps(String path) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '/' && depth == 0) {
                parts.add(path.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(path.substring(start));
        parts.removeIf(String::isEmpty);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("An empty field path");
        }
        return parts;
    }
}
