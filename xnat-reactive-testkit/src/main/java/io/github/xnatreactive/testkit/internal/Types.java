package io.github.xnatreactive.testkit.internal;

import java.util.Locale;
import java.util.Map;

/** The XNAT data types the testkit knows: type hierarchy and XML root element names. */
public final class Types {
    private Types() {}

    private static final Map<String, String> ROOTS = Map.ofEntries(
            Map.entry("xnat:projectdata", "xnat:Project"),
            Map.entry("xnat:subjectdata", "xnat:Subject"),
            Map.entry("xnat:mrsessiondata", "xnat:MRSession"),
            Map.entry("xnat:petsessiondata", "xnat:PETSession"),
            Map.entry("xnat:ctsessiondata", "xnat:CTSession"),
            Map.entry("xnat:mrscandata", "xnat:MRScan"),
            Map.entry("xnat:petscandata", "xnat:PETScan"),
            Map.entry("xnat:ctscandata", "xnat:CTScan"),
            Map.entry("xnat:qcmanualassessordata", "xnat:QCManualAssessment"),
            Map.entry("xnat:qcassessmentdata", "xnat:QCAssessment"),
            Map.entry("xnat:reconstructedimagedata", "xnat:ReconstructedImage"));

    /** Whether {@code type} is {@code base} or one of its extensions. Case-insensitive like XNAT's element names. */
    public static boolean isA(String type, String base) {
        String t = type.toLowerCase(Locale.ROOT);
        String b = base.toLowerCase(Locale.ROOT);
        if (t.equals(b)) {
            return true;
        }
        return switch (b) {
            case "xnat:experimentdata" -> isExperiment(t);
            case "xnat:subjectassessordata" -> isExperiment(t) && !isImageAssessor(t);
            case "xnat:imagesessiondata" -> t.endsWith("sessiondata");
            case "xnat:imageassessordata", "xnat:derivedimagedata" -> isImageAssessor(t);
            case "xnat:imagescandata" -> t.endsWith("scandata");
            default -> false;
        };
    }

    private static boolean isExperiment(String t) {
        return !t.equals("xnat:projectdata")
                && !t.equals("xnat:subjectdata")
                && !t.endsWith("scandata")
                && !t.equals("xnat:reconstructedimagedata");
    }

    /** Assessor types: anything named like an assessor or assessment. */
    public static boolean isImageAssessor(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        return t.contains("assessor") || t.contains("assessment") || t.equals("xnat:imageassessordata");
    }

    /** The XML root element for a type: {@code xnat:MRSession} for {@code xnat:mrSessionData}. */
    public static String rootElement(String xsiType) {
        String r = ROOTS.get(xsiType.toLowerCase(Locale.ROOT));
        if (r != null) {
            return r;
        }
        String local = xsiType.substring(xsiType.indexOf(':') + 1);
        String prefix = xsiType.substring(0, Math.max(0, xsiType.indexOf(':')));
        if (local.endsWith("Data")) {
            local = local.substring(0, local.length() - 4);
        }
        return (prefix.isEmpty() ? "xnat" : prefix) + ":" + Character.toUpperCase(local.charAt(0)) + local.substring(1);
    }

    /** The type for an XML root element (reverse of {@link #rootElement}), or null when unknown. */
    public static String typeOfRoot(String qualifiedRoot) {
        for (Map.Entry<String, String> e : ROOTS.entrySet()) {
            if (e.getValue().equalsIgnoreCase(qualifiedRoot)) {
                return canonical(e.getKey());
            }
        }
        return null;
    }

    private static String canonical(String lower) {
        return switch (lower) {
            case "xnat:projectdata" -> "xnat:projectData";
            case "xnat:subjectdata" -> "xnat:subjectData";
            case "xnat:mrsessiondata" -> "xnat:mrSessionData";
            case "xnat:petsessiondata" -> "xnat:petSessionData";
            case "xnat:ctsessiondata" -> "xnat:ctSessionData";
            case "xnat:mrscandata" -> "xnat:mrScanData";
            case "xnat:petscandata" -> "xnat:petScanData";
            case "xnat:ctscandata" -> "xnat:ctScanData";
            case "xnat:qcmanualassessordata" -> "xnat:qcManualAssessorData";
            case "xnat:qcassessmentdata" -> "xnat:qcAssessmentData";
            case "xnat:reconstructedimagedata" -> "xnat:reconstructedImageData";
            default -> lower;
        };
    }
}
