package io.github.xnatreactive.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a startup that failed because {@code xnat.url} is not set. */
class MissingXnatUrlFailureAnalyzer extends AbstractFailureAnalyzer<MissingXnatUrlException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingXnatUrlException cause) {
        return new FailureAnalysis(
                "The XnatClient bean of xnat-reactive-spring-boot-starter needs the XNAT server's URL, and xnat.url is"
                        + " not set.",
                "Set xnat.url (and xnat.user with xnat.password, or xnat.token.alias with xnat.token.secret), e.g. in"
                        + " application.yaml or as XNAT_URL in the environment, or define an XnatClient bean of your"
                        + " own.",
                cause);
    }
}
