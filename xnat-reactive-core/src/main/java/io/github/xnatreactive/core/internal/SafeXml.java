package io.github.xnatreactive.core.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.SAXException;

/**
 * The SDK's one way to parse XML: namespace-aware, no DTDs, no external entities, no XInclude. One parser per
 * thread, made once (a factory and its builder cost as much as parsing a session's document); {@code reset()} after
 * each document returns it to this configuration, whether the document parsed or not.
 */
public final class SafeXml {
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(() -> {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser cannot be configured: " + e.getMessage(), e);
        }
    });

    private SafeXml() {}

    /**
     * Parses {@code xml}.
     *
     * @param xml the document's text
     * @return the document
     * @throws SAXException when it is not well-formed XML or has a DOCTYPE
     * @throws IOException when it cannot be read
     */
    public static Document parse(String xml) throws SAXException, IOException {
        DocumentBuilder db = BUILDER.get();
        try {
            db.setErrorHandler(null);
            return db.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } finally {
            db.reset();
        }
    }
}
