package io.github.xnatreactive.core;

/** The SDK version, from the jar manifest when packaged. */
final class Version {
    static final String VALUE = read();

    private Version() {}

    private static String read() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
