package io.github.xnatreactive.testkit.internal;

import io.github.xnatreactive.testkit.Trigger;
import java.util.List;

/**
 * XNAT's processing requests on an experiment's {@code PUT}: {@code fixScanTypes}, {@code pullDataFromHeaders} and
 * {@code triggerPipelines}, each as {@code name=true} or named in {@code action=} (XNAT's {@code isQueryVariableTrue}
 * or {@code containsAction}), run in that order after the experiment is saved. XNAT fixes scan types and pulls
 * header data only for image sessions, and does all three only for a caller with edit rights (checked when the
 * target is resolved). The testkit runs none of them: it records each that XNAT would run, for tests to read.
 */
final class TriggerHandlers {
    private static final List<String> NAMES = List.of("fixScanTypes", "pullDataFromHeaders", "triggerPipelines");

    private TriggerHandlers() {}

    /** Records the processing requests of a {@code PUT} to experiment {@code e}. */
    static void apply(Call c, Item e) {
        List<String> actions = c.query.all("action");
        for (String name : NAMES) {
            boolean asked = c.query.flag(name) || actions.contains(name);
            boolean imageOnly = !name.equals("triggerPipelines");
            if (asked && (!imageOnly || e.kind == Kind.SESSION)) {
                c.store.recordTrigger(new Trigger(name, e.id, e.project.id, c.user.login()));
            }
        }
    }
}
