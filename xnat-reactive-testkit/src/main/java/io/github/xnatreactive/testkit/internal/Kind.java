package io.github.xnatreactive.testkit.internal;

/** The levels of the archive hierarchy that the testkit stores. */
public enum Kind {
    PROJECT("project"),
    SUBJECT("subject"),
    /** A subject assessor: an imaging session (MR, PET, CT...) or another experiment. */
    SESSION("experiment"),
    /** An image assessor, child of a session. */
    ASSESSOR("assessor"),
    SCAN("scan"),
    RECONSTRUCTION("reconstruction");

    private final String word;

    Kind(String word) {
        this.word = word;
    }

    /** The word XNAT uses in its messages ("Unable to find the specified subject."). */
    public String word() {
        return word;
    }
}
