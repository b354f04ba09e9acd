package io.github.xnatreactive.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The typed values the testkit writes agree with the XSD it serves, and keys keep repeated elements apart. */
class DocSchemaTest {

    @Test
    void everyTypedFieldIsDeclaredWithThatTypeInTheServedXsd() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        var xsd = f.newDocumentBuilder()
                .parse(new ByteArrayInputStream(DocSchema.xsd("xnat").getBytes(StandardCharsets.UTF_8)));
        Set<String> declared = new HashSet<>();
        for (String tag : new String[] {"element", "attribute"}) {
            NodeList n = xsd.getElementsByTagNameNS("http://www.w3.org/2001/XMLSchema", tag);
            for (int i = 0; i < n.getLength(); i++) {
                Element e = (Element) n.item(i);
                String name = e.getAttribute("name").toLowerCase(Locale.ROOT);
                String type = e.getAttribute("type");
                // the element or type that declares the attribute: the nearest named ancestor
                org.w3c.dom.Node up = e.getParentNode();
                while (up instanceof Element u && u.getAttribute("name").isEmpty()) {
                    up = u.getParentNode();
                }
                String owner = up instanceof Element u ? u.getAttribute("name").toLowerCase(Locale.ROOT) : "";
                String key = tag.equals("attribute") ? owner + "/@" + name : name;
                declared.add(key + " " + type);
            }
        }
        Map<String, DocSchema.Type> samples = Map.of(
                "parameters/tr", DocSchema.Type.DOUBLE,
                "parameters/voxelres/@x", DocSchema.Type.DOUBLE,
                "frames", DocSchema.Type.INTEGER,
                "demographics/yob", DocSchema.Type.INTEGER,
                "date", DocSchema.Type.DATE,
                "time", DocSchema.Type.TIME,
                "starttime", DocSchema.Type.TIME);
        Map<DocSchema.Type, String> xs = Map.of(
                DocSchema.Type.DOUBLE, "xs:double",
                DocSchema.Type.INTEGER, "xs:int",
                DocSchema.Type.DATE, "xs:date",
                DocSchema.Type.TIME, "xs:time",
                DocSchema.Type.BOOLEAN, "xs:boolean");
        for (Map.Entry<String, DocSchema.Type> s : samples.entrySet()) {
            assertThat(DocSchema.typeOf(s.getKey())).as(s.getKey()).isEqualTo(s.getValue());
            String last = s.getKey().substring(s.getKey().lastIndexOf('/') + 1);
            boolean found = declared.stream()
                    .anyMatch(d -> d.endsWith(" " + xs.get(s.getValue()))
                            && (d.startsWith(last + " ") || d.endsWith("/" + last + " " + xs.get(s.getValue()))));
            assertThat(found)
                    .as(s.getKey() + " declared as " + xs.get(s.getValue()))
                    .isTrue();
        }
        // keyed elements are strings whatever they are named
        assertThat(DocSchema.typeOf("fields/field[name=date]")).isNull();
    }

    @Test
    void valuesAreWrittenAsXnatWritesThemAndBadOnesAreRefused() {
        assertThat(DocSchema.canonical("parameters/tr", "42")).isEqualTo("42.0");
        assertThat(DocSchema.canonical("parameters/te", "2.50")).isEqualTo("2.5");
        assertThat(DocSchema.canonical("frames", "0176")).isEqualTo("176");
        assertThat(DocSchema.canonical("active", "1")).isEqualTo("true");
        assertThat(DocSchema.canonical("time", "09:05")).isEqualTo("09:05:00");
        assertThat(DocSchema.canonical("note", "42")).isEqualTo("42");
        assertThatThrownBy(() -> DocSchema.canonical("frames", "1.5")).isInstanceOf(XnatError.class);
        assertThatThrownBy(() -> DocSchema.canonical("date", "yesterday")).isInstanceOf(XnatError.class);
    }

    @Test
    void keysKeepRepeatedElementsApartAndPredicateValuesKeepTheirCase() {
        assertThat(DocKeys.normalize("parameters/addParam[name=EchoTime]/addField"))
                .isEqualTo("parameters/addparam[name=EchoTime]");
        assertThat(DocKeys.normalize("fields/field[name='Cohort']/field")).isEqualTo("fields/field[name=Cohort]");
        assertThat(DocKeys.normalize("demographics[@xsi:type=xnat:demographicData]/gender"))
                .isEqualTo("demographics/gender");
        assertThat(DocKeys.normalize("parameters/voxelRes/x")).isEqualTo("parameters/voxelres/@x");
        assertThat(DocKeys.normalize("provenance/processStep[2]/program"))
                .isEqualTo("provenance/processstep[2]/program");
        assertThat(XPath.parse("xnat:mrScanData/parameters/addParam[name=TE]/addField")
                        .key())
                .isEqualTo("parameters/addparam[name=TE]");
    }
}
