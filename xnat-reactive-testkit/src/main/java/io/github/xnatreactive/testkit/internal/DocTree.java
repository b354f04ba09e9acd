package io.github.xnatreactive.testkit.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An item's fields as the element tree XNAT writes: built from the stored keys ({@link DocKeys}), written as XML
 * elements and attributes, or as the JSON document's {@code data_fields} (single values, flattened with {@code /})
 * and {@code children} (repeated elements, each an item with its own {@code meta}, {@code data_fields} and
 * {@code children}).
 */
final class DocTree {
    /** Element order: by name, then position, then key; attributes are kept apart. */
    private static final Comparator<DocKeys.Step> ORDER = Comparator.comparing(DocKeys.Step::name)
            .thenComparingInt(DocKeys.Step::index)
            .thenComparing(s -> s.keyValue() == null ? "" : s.keyValue());

    /** The JSON {@code xsi:type} of repeated elements, as XNAT names their types. */
    private static final Map<String, String> ITEM_TYPES = Map.of(
            "addparam", "xnat:addField",
            "processstep", "prov:processStep",
            "studyprotocol", "xnat:datatypeProtocol",
            "definition", "xnat:fieldDefinitionGroup",
            "addid", "xnat:subjectData_addID",
            "investigator", "xnat:investigatorData");

    final DocKeys.Step step;
    String value;
    final Map<String, String> attributes = new TreeMap<>();
    final Map<DocKeys.Step, DocTree> children = new TreeMap<>(ORDER);

    private DocTree(DocKeys.Step step) {
        this.step = step;
    }

    /** The tree of {@code fields}, leaving out the keys {@code skip} names (root attributes, written apart). */
    static DocTree of(Map<String, String> fields, java.util.Set<String> skip) {
        DocTree root = new DocTree(null);
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (skip.contains(f.getKey()) || f.getValue() == null) {
                continue;
            }
            DocTree node = root;
            List<DocKeys.Step> steps = DocKeys.steps(f.getKey());
            for (int i = 0; i < steps.size(); i++) {
                DocKeys.Step s = steps.get(i);
                if (s.attribute()) {
                    node.attributes.put(s.name().substring(1), f.getValue());
                    break;
                }
                node = node.children.computeIfAbsent(s, DocTree::new);
                if (i == steps.size() - 1) {
                    node.value = f.getValue();
                }
            }
        }
        return root;
    }

    private String prefix(boolean underProv) {
        return underProv || step.name().equals("processstep") ? "prov:" : "xnat:";
    }

    // ------------------------------------------------------------------ XML

    /** Writes the children of this node as XML elements. */
    void writeChildren(StringBuilder b, String indent, boolean underProv) {
        for (DocTree c : children.values()) {
            c.write(b, indent, underProv);
        }
    }

    private void write(StringBuilder b, String indent, boolean underProv) {
        boolean prov = underProv || step.name().equals("processstep");
        String name = prefix(underProv) + DocKeys.spell(step.name());
        boolean hasText = value != null && !value.isEmpty();
        if (!hasText && children.isEmpty() && attributes.isEmpty() && !step.repeated()) {
            return; // XNAT writes no empty elements
        }
        b.append(indent).append('<').append(name);
        if (step.keyName() != null) {
            b.append(' ')
                    .append(step.keyName())
                    .append("=\"")
                    .append(Pages.escape(step.keyValue()))
                    .append('"');
        }
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            b.append(' ')
                    .append(DocKeys.spell(a.getKey()))
                    .append("=\"")
                    .append(Pages.escape(a.getValue()))
                    .append('"');
        }
        if (step.name().equals("demographics")) {
            b.append(" xsi:type=\"xnat:demographicData\"");
        }
        if (children.isEmpty()) {
            if (hasText) {
                b.append('>')
                        .append(Pages.escape(value))
                        .append("</")
                        .append(name)
                        .append(">\n");
            } else {
                b.append("/>\n");
            }
            return;
        }
        b.append(">\n");
        writeChildren(b, indent + "  ", prov);
        b.append(indent).append("</").append(name).append(">\n");
    }

    // ------------------------------------------------------------------ JSON

    /** This node's single values, flattened with {@code /} below {@code path}, into {@code data}. */
    void dataFields(String path, Map<String, String> data) {
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            data.put(path + DocKeys.spell(a.getKey()), a.getValue());
        }
        for (DocTree c : children.values()) {
            if (c.step.repeated()) {
                continue;
            }
            String p = path + DocKeys.spell(c.step.name());
            if (c.value != null && !c.value.isEmpty()) {
                data.put(p, c.value);
            }
            c.dataFields(p + "/", data);
        }
    }

    /** The repeated elements at or below this node, grouped by their collection path ({@code parameters/addParam}). */
    void repeated(String path, Map<String, List<DocTree>> groups) {
        for (DocTree c : children.values()) {
            String p = path + DocKeys.spell(c.step.name());
            if (c.step.repeated()) {
                groups.computeIfAbsent(p, k -> new ArrayList<>()).add(c);
            } else {
                c.repeated(p + "/", groups);
            }
        }
    }

    /** Writes this node's children groups as the JSON document's {@code children} entries; false when none. */
    boolean jsonChildren(StringBuilder b, boolean first) {
        Map<String, List<DocTree>> groups = new LinkedHashMap<>();
        repeated("", groups);
        for (Map.Entry<String, List<DocTree>> g : groups.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append("{\"field\":").append(Json.quote(g.getKey())).append(",\"items\":[");
            for (int i = 0; i < g.getValue().size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                g.getValue().get(i).jsonItem(b);
            }
            b.append("]}");
        }
        return first;
    }

    private void jsonItem(StringBuilder b) {
        String type = ITEM_TYPES.getOrDefault(step.name(), "xnat:" + DocKeys.spell(step.name()));
        b.append("{\"meta\":{\"isHistory\":false,\"xsi:type\":")
                .append(Json.quote(type))
                .append("},\"data_fields\":{");
        Map<String, String> data = new LinkedHashMap<>();
        if (step.keyName() != null) {
            data.put(step.keyName(), step.keyValue());
        }
        if (value != null && !value.isEmpty()) {
            String text = DocKeys.textField(step.name());
            data.put(DocKeys.spell(text != null ? text : step.name()), value);
        }
        dataFields("", data);
        members(b, data);
        b.append("},\"children\":[");
        jsonChildren(b, true);
        b.append("]}");
    }

    /** Writes string members of a JSON object ({@code "k":"v",...}, without the braces). */
    static void members(StringBuilder b, Map<String, String> data) {
        boolean first = true;
        for (Map.Entry<String, String> e : data.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            Json.string(b, e.getKey()).append(':');
            Json.string(b, e.getValue());
        }
    }
}
