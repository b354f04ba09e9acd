package io.github.xnatreactive.core;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * One provenance step of an assessor or reconstruction ({@code provenance/prov:processStep}): the program that ran,
 * when, by whom and where. {@code program}, {@code timestamp}, {@code user}, {@code machine} and {@code platform}
 * are what XNAT requires (the constructor throws {@link IllegalArgumentException} when one is null or blank); the
 * other components may be null.
 *
 * @param program the program's name
 * @param programVersion its version, or null
 * @param programArguments its arguments, or null
 * @param timestamp when it ran, as ISO-8601 text (e.g. {@code 2024-03-06T10:00:00})
 * @param cvs the source-control revision, or null
 * @param user who ran it
 * @param machine the host it ran on
 * @param platform the operating system
 * @param platformVersion the operating system's version, or null
 * @param compiler the compiler, or null
 * @param compilerVersion the compiler's version, or null
 * @param library a library it used, or null
 * @param libraryVersion the library's version, or null
 */
public record ProcessStep(
        String program,
        String programVersion,
        String programArguments,
        String timestamp,
        String cvs,
        String user,
        String machine,
        String platform,
        String platformVersion,
        String compiler,
        String compilerVersion,
        String library,
        String libraryVersion) {

    /**
     * A step; program, timestamp, user, machine and platform are required.
     *
     * @param program the program's name
     * @param programVersion its version, or null
     * @param programArguments its arguments, or null
     * @param timestamp when it ran, ISO-8601
     * @param cvs the source-control revision, or null
     * @param user who ran it
     * @param machine the host it ran on
     * @param platform the operating system
     * @param platformVersion the operating system's version, or null
     * @param compiler the compiler, or null
     * @param compilerVersion the compiler's version, or null
     * @param library a library it used, or null
     * @param libraryVersion the library's version, or null
     * @throws IllegalArgumentException when a required component is null or blank
     */
    public ProcessStep {
        for (String[] required : new String[][] {
            {"program", program}, {"timestamp", timestamp}, {"user", user}, {"machine", machine}, {"platform", platform}
        }) {
            if (required[1] == null || required[1].isBlank()) {
                throw new IllegalArgumentException("A provenance step needs a " + required[0]);
            }
        }
    }

    /**
     * A step with only the required components.
     *
     * @param program the program's name
     * @param timestamp when it ran, ISO-8601
     * @param user who ran it
     * @param machine the host it ran on
     * @param platform the operating system
     * @return the step
     */
    public static ProcessStep of(String program, String timestamp, String user, String machine, String platform) {
        return new ProcessStep(
                program, null, null, timestamp, null, user, machine, platform, null, null, null, null, null);
    }

    static ProcessStep of(Element step) {
        return new ProcessStep(
                text(step, "program"),
                attr(step, "program", "version"),
                attr(step, "program", "arguments"),
                text(step, "timestamp"),
                text(step, "cvs"),
                text(step, "user"),
                text(step, "machine"),
                text(step, "platform"),
                attr(step, "platform", "version"),
                text(step, "compiler"),
                attr(step, "compiler", "version"),
                text(step, "library"),
                attr(step, "library", "version"));
    }

    private static String text(Element step, String name) {
        Element e = XnatDocument.child(step, name);
        return e == null ? null : e.getTextContent().trim();
    }

    private static String attr(Element step, String name, String attribute) {
        Element e = XnatDocument.child(step, name);
        return e == null || !e.hasAttribute(attribute) ? null : e.getAttribute(attribute);
    }

    Element toElement(Document d) {
        Element step = d.createElementNS(XnatDocument.PROV, "prov:processStep");
        add(d, step, "program", program, "version", programVersion, "arguments", programArguments);
        add(d, step, "timestamp", timestamp);
        add(d, step, "cvs", cvs);
        add(d, step, "user", user);
        add(d, step, "machine", machine);
        add(d, step, "platform", platform, "version", platformVersion);
        add(d, step, "compiler", compiler, "version", compilerVersion);
        add(d, step, "library", library, "version", libraryVersion);
        return step;
    }

    private static void add(Document d, Element step, String name, String value, String... attributes) {
        if (value == null) {
            return;
        }
        Element e = d.createElementNS(XnatDocument.PROV, "prov:" + name);
        e.setTextContent(value);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                e.setAttribute(attributes[i], attributes[i + 1]);
            }
        }
        step.appendChild(e);
    }
}
