package io.github.xnatreactive.testkit.internal;

/**
 * An experiment's workflow status, as XNAT keeps it in the item's {@code meta/status}: {@code GET {E}/status}
 * answers it as plain text ({@code active}, {@code quarantine}, ...); {@code PUT {E}?activate=true} makes it
 * {@code active} and {@code PUT {E}?quarantine=true} puts it in {@code quarantine} (both need edit rights, checked
 * when the target is resolved).
 */
final class StatusHandlers {
    private StatusHandlers() {}

    /** {@code GET .../experiments/{E}/status}: the status as text. */
    static Reply get(Call c, Target.Experiment t) {
        return Reply.text(200, "text/plain", t.experiment().status);
    }

    /** Applies {@code activate=true} or {@code quarantine=true} of a PUT to the experiment. */
    static void apply(Call c, Item e) {
        if (c.query.flag("activate")) {
            e.status = "active";
        } else if (c.query.flag("quarantine")) {
            e.status = "quarantine";
        }
    }
}
