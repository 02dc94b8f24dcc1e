package dev.cohort.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;

/**
 * Settings and their results as JSON, in one place for the journal, the status document and the status socket's
 * answers (all published: docs/operations.md). A setting is {@code {"control":"FREQ_MAX_KHZ","target":"freq-domain 3",
 * "value":"2400000 kHz"}}; a written one adds {@code outcome}, {@code requested}, {@code applied} and {@code detail}.
 * A tick's planned settings come in two {@link Form}s, which differ only in the fields after {@code outcome}.
 */
public final class SettingJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The two published shapes of a tick's planned settings. */
    public enum Form {
        /**
         * The journal's: {@code outcome}, then {@code requested}, {@code applied} and {@code detail} when the setting
         * was written; a setting not written has only its outcome, {@code DRY_RUN} or {@code NOT_APPLIED}.
         */
        JOURNAL,
        /**
         * The status document's (schema 1, {@code last_decisions[].settings[]}): {@code outcome}, {@code applied} and
         * {@code detail} always ({@code ""} when not written), never {@code requested}.
         */
        STATUS
    }

    private SettingJson() {
    }

    /** {@code control}, {@code target} and {@code value} of a setting (a held or released override, say). */
    public static ObjectNode setting(Setting s) {
        ObjectNode x = NODES.objectNode();
        x.put("control", s.control().name());
        x.put("target", s.target());
        x.put("value", s.valueText());
        return x;
    }

    /** A written setting and how it went: the setting, {@code outcome}, {@code requested}, {@code applied}, {@code detail}. */
    public static ObjectNode result(SettingResult r) {
        return planned(r.setting(), r, false, Form.JOURNAL);
    }

    /**
     * One planned setting of a tick.
     *
     * @param s      the setting the governor planned
     * @param res    what the platform did with it, or null when it was not written
     * @param dryRun true in a dry run (a setting not written is then {@code DRY_RUN}, else {@code NOT_APPLIED})
     */
    public static ObjectNode planned(Setting s, SettingResult res, boolean dryRun, Form form) {
        ObjectNode x = setting(s);
        x.put("outcome", res == null ? (dryRun ? "DRY_RUN" : "NOT_APPLIED") : res.outcome().name());
        switch (form) {
            case JOURNAL -> {
                if (res != null) {
                    x.put("requested", res.requested());
                    x.put("applied", res.applied());
                    x.put("detail", res.detail());
                }
            }
            case STATUS -> {
                x.put("applied", res == null ? "" : res.applied());
                x.put("detail", res == null ? "" : res.detail());
            }
        }
        return x;
    }

    /** Every planned setting of a tick, each with its result (results follow the plan's order; a short list leaves the rest unwritten). */
    public static ArrayNode settings(TickRecord r, Form form) {
        ArrayNode a = NODES.arrayNode();
        for (int i = 0; i < r.plan().size(); i++) {
            SettingResult res = i < r.results().size() ? r.results().get(i) : null;
            a.add(planned(r.plan().get(i), res, r.dryRun(), form));
        }
        return a;
    }
}
