package io.github.xnatreactive.spring.boot;

/**
 * The application asked for the auto-configured {@code XnatClient} but {@code xnat.url} is not set. Spring Boot's
 * startup failure report explains what to set.
 */
public class MissingXnatUrlException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** The exception, with the message naming the property. */
    public MissingXnatUrlException() {
        super("xnat.url is not set: set it to the XNAT server's URL (e.g. https://xnat.example.org, with the context"
                + " path if the server has one), or define an XnatClient bean of your own");
    }
}
