package dev.cohort.harness.beststatic;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cohort.policy.Role;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/**
 * A {@link Found} as JSON, and back. Every value is checked on reading: a file that does not hold exactly what a
 * search writes fails with one line saying what is wrong ({@link Invalid}), so the caller can search again.
 */
final class FoundJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Why a file is not a best-static result. */
    static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason);
        }
    }

    private FoundJson() {
    }

    static String write(Found f) {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", CacheKey.FORMAT);
        n.put("key", f.key());
        n.put("scenario", f.scenario());
        n.put("policy", f.spec());
        n.put("mean_reward", f.chosen().meanReward());
        f.seeds().forEach(n.putArray("seeds")::add);
        n.put("screen_seconds", f.screenNanos() / 1e9);
        ObjectNode g = n.putObject("grid");
        g.put("points", f.grid().size());
        ObjectNode levels = g.putObject("levels");
        f.grid().levels().forEach((r, l) -> l.forEach(levels.putArray(r.id())::add));
        ObjectNode counts = g.putObject("level_counts");
        f.grid().counts().forEach((r, c) -> counts.put(r.id(), c));
        f.grid().collapsed().forEach(g.putArray("collapsed")::add);
        var fin = n.putArray("finalists");
        for (Found.Candidate c : f.finalists()) {
            ObjectNode o = fin.addObject();
            o.put("policy", c.spec());
            ObjectNode l = o.putObject("levels");
            c.levels().forEach((r, v) -> l.put(r.id(), v));
            o.put("mean_reward", c.meanReward());
            c.seedRewards().forEach(o.putArray("seed_rewards")::add);
            if (Double.isNaN(c.screenReward())) {
                o.putNull("screen_reward");
            } else {
                o.put("screen_reward", c.screenReward());
            }
        }
        n.put("searched_at", f.searchedAt().toString());
        n.put("search_seconds", f.wallSeconds());
        try {
            return JSON.writeValueAsString(n) + "\n";
        } catch (JacksonException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    /** Reads a result written under {@code key}. */
    static Found read(String text, String key) throws Invalid {
        JsonNode n;
        try {
            n = JSON.readTree(text);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new Invalid("not JSON" + where + ": " + String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " ").strip());
        }
        if (n == null || !n.isObject()) {
            throw new Invalid("not a JSON object");
        }
        if (!CacheKey.FORMAT.equals(n.path("format").asText())) {
            throw new Invalid("format '" + n.path("format").asText() + "', not '" + CacheKey.FORMAT + "'");
        }
        if (!key.equals(n.path("key").asText())) {
            throw new Invalid("it holds the result for another key (" + n.path("key").asText() + ")");
        }
        JsonNode g = object(n, "grid");
        var levels = new EnumMap<Role, List<Integer>>(Role.class);
        var counts = new EnumMap<Role, Integer>(Role.class);
        for (Role r : Role.values()) {
            if (object(g, "levels").has(r.id())) {
                List<Integer> l = new ArrayList<>();
                int count = whole(object(g, "level_counts"), r.id());
                for (JsonNode v : array(object(g, "levels"), r.id())) {
                    if (!v.isInt() || v.asInt() < 0 || v.asInt() >= count) {
                        throw new Invalid("grid: " + r.id() + " level " + v + " is not one of 0.." + (count - 1));
                    }
                    l.add(v.asInt());
                }
                levels.put(r, l);
                counts.put(r, count);
            }
        }
        List<String> collapsed = new ArrayList<>();
        array(g, "collapsed").forEach(v -> collapsed.add(v.asText()));
        Grid grid;
        try {
            grid = new Grid(levels, counts, collapsed);
        } catch (IllegalArgumentException e) {
            throw new Invalid("grid: " + e.getMessage());
        }
        List<Long> seeds = new ArrayList<>();
        array(n, "seeds").forEach(v -> seeds.add(v.asLong()));
        if (seeds.isEmpty()) {
            throw new Invalid("'seeds' is empty");
        }
        List<Found.Candidate> fin = new ArrayList<>();
        for (JsonNode c : array(n, "finalists")) {
            fin.add(candidate(c, grid, seeds.size()));
        }
        if (fin.isEmpty() || !fin.getFirst().spec().equals(n.path("policy").asText())) {
            throw new Invalid("its policy is not its best finalist's");
        }
        try {
            return new Found(n.path("scenario").asText(), key, fin, grid, seeds, Math.round(number(n, "screen_seconds") * 1e9),
                    Instant.parse(n.path("searched_at").asText()), number(n, "search_seconds"));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
    }

    private static Found.Candidate candidate(JsonNode c, Grid grid, int seeds) throws Invalid {
        var levels = new EnumMap<Role, Integer>(Role.class);
        for (Role r : grid.levels().keySet()) {
            int v = whole(object(c, "levels"), r.id());
            if (!grid.levels().get(r).contains(v)) {
                throw new Invalid("finalist " + c.path("policy").asText() + ": " + r.id() + " level " + v + " is not in the grid");
            }
            levels.put(r, v);
        }
        String spec = grid.spec(levels);
        if (!spec.equals(c.path("policy").asText()) || object(c, "levels").size() != levels.size()) {
            throw new Invalid("finalist " + c.path("policy").asText() + " does not match its levels (" + spec + ")");
        }
        List<Double> rewards = new ArrayList<>();
        for (JsonNode v : array(c, "seed_rewards")) {
            if (!v.isNumber()) {
                throw new Invalid("finalist " + spec + ": a seed reward is not a number");
            }
            rewards.add(v.asDouble());
        }
        if (rewards.size() != seeds) {
            throw new Invalid("finalist " + spec + ": " + rewards.size() + " seed rewards for " + seeds + " seeds");
        }
        JsonNode screen = c.path("screen_reward");
        return new Found.Candidate(levels, spec, rewards, screen.isNumber() ? screen.asDouble() : Double.NaN);
    }

    private static JsonNode object(JsonNode n, String k) throws Invalid {
        if (!n.path(k).isObject()) {
            throw new Invalid("'" + k + "' is missing or not an object");
        }
        return n.get(k);
    }

    private static JsonNode array(JsonNode n, String k) throws Invalid {
        if (!n.path(k).isArray()) {
            throw new Invalid("'" + k + "' is missing or not a list");
        }
        return n.get(k);
    }

    private static int whole(JsonNode n, String k) throws Invalid {
        if (!n.path(k).isInt()) {
            throw new Invalid("'" + k + "' is missing or not a whole number");
        }
        return n.get(k).asInt();
    }

    private static double number(JsonNode n, String k) throws Invalid {
        if (!n.path(k).isNumber()) {
            throw new Invalid("'" + k + "' is missing or not a number");
        }
        return n.get(k).asDouble();
    }

}
