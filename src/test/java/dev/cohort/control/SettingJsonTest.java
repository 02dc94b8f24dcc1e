package dev.cohort.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cohort.platform.CpuSet;
import dev.cohort.platform.Setting;
import dev.cohort.platform.SettingResult;
import dev.cohort.platform.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pins the published JSON of settings (docs/operations.md): the journal's, the status document's and the socket's. */
class SettingJsonTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Setting FREQ = new Setting.FreqMaxKhz(3, 2_400_000);
    static final Setting QUOTA = new Setting.CpuMaxUsec(1, 50_000, 100_000);
    static final Setting MBA = new Setting.MbaPercent(0, 40);
    static final SettingResult APPLIED = new SettingResult(FREQ, SettingResult.Outcome.APPLIED, "2400000", "2400000", "");
    static final SettingResult CLAMPED = new SettingResult(QUOTA, SettingResult.Outcome.CLAMPED, "50000 100000", "60000 100000",
            "requested \"50000 100000\", applied 60000 100000");

    @TempDir
    Path dir;

    static TickRecord tick(List<Setting> plan, List<SettingResult> results, boolean dryRun) {
        return new TickRecord(7, 700_000_000L, 0.1, "p", false, new RewardTerms(0, 0, 0, 0, 0), 10, new double[0], false, 1,
                plan, results, dryRun, List.of(), List.of());
    }

    @Test
    void aSettingAloneAndAWriteResult() throws Exception {
        assertEquals("{\"control\":\"FREQ_MAX_KHZ\",\"target\":\"freq-domain 3\",\"value\":\"2400000 kHz\"}",
                JSON.writeValueAsString(SettingJson.setting(FREQ)));
        assertEquals("{\"control\":\"CPU_MAX_USEC\",\"target\":\"cgroup 1\",\"value\":\"50000 µs per 100000 µs\",\"outcome\":\"CLAMPED\","
                        + "\"requested\":\"50000 100000\",\"applied\":\"60000 100000\",\"detail\":\"requested \\\"50000 100000\\\", applied 60000 100000\"}",
                JSON.writeValueAsString(SettingJson.result(CLAMPED)));
    }

    @Test
    void theJournalFormHasRequestedOnlyWhenWrittenAndTheStatusFormNever() throws Exception {
        TickRecord applied = tick(List.of(FREQ, MBA), List.of(APPLIED), false);
        String freq = "{\"control\":\"FREQ_MAX_KHZ\",\"target\":\"freq-domain 3\",\"value\":\"2400000 kHz\",\"outcome\":\"APPLIED\"";
        String mba = "{\"control\":\"MBA_PERCENT\",\"target\":\"mem-domain 0\",\"value\":\"40%\",\"outcome\":\"NOT_APPLIED\"";
        assertEquals("[" + freq + ",\"requested\":\"2400000\",\"applied\":\"2400000\",\"detail\":\"\"}," + mba + "}]",
                JSON.writeValueAsString(SettingJson.settings(applied, SettingJson.Form.JOURNAL)));
        assertEquals("[" + freq + ",\"applied\":\"2400000\",\"detail\":\"\"}," + mba + ",\"applied\":\"\",\"detail\":\"\"}]",
                JSON.writeValueAsString(SettingJson.settings(applied, SettingJson.Form.STATUS)));
        TickRecord dry = tick(List.of(MBA), List.of(), true);
        String dryMba = mba.replace("NOT_APPLIED", "DRY_RUN");
        assertEquals("[" + dryMba + "}]", JSON.writeValueAsString(SettingJson.settings(dry, SettingJson.Form.JOURNAL)));
        assertEquals("[" + dryMba + ",\"applied\":\"\",\"detail\":\"\"}]", JSON.writeValueAsString(SettingJson.settings(dry, SettingJson.Form.STATUS)));
    }

    @Test
    void aJournalLineCarriesTheJournalForm() throws Exception {
        Topology t = new Topology(List.of(new Topology.Cpu(0, 0, 0, 0)), 1,
                List.of(new Topology.FrequencyDomain("policy0", CpuSet.of(0), 800_000, 3_900_000, List.of())),
                List.of(new Topology.MemoryDomain(0, 0, CpuSet.of(0), Optional.empty())), List.of(), CpuSet.empty());
        Path j = dir.resolve("j.jsonl");
        try (var journal = new JsonLinesJournal(j, 1 << 20, 1, t)) {
            journal.record(tick(List.of(FREQ, QUOTA), List.of(APPLIED, CLAMPED), false));
        }
        String line = Files.readString(j);
        String settings = line.substring(line.indexOf(",\"settings\":") + 12, line.indexOf(",\"notes\":"));
        assertEquals("[{\"control\":\"FREQ_MAX_KHZ\",\"target\":\"freq-domain 3\",\"value\":\"2400000 kHz\",\"outcome\":\"APPLIED\","
                + "\"requested\":\"2400000\",\"applied\":\"2400000\",\"detail\":\"\"},"
                + "{\"control\":\"CPU_MAX_USEC\",\"target\":\"cgroup 1\",\"value\":\"50000 µs per 100000 µs\",\"outcome\":\"CLAMPED\","
                + "\"requested\":\"50000 100000\",\"applied\":\"60000 100000\",\"detail\":\"requested \\\"50000 100000\\\", applied 60000 100000\"}]",
                settings);
    }
}
