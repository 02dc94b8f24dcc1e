package dev.cohort.learn.replay;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The most recent {@code capacity} chunks, oldest overwritten first, sampled uniformly. Its contents are part of a
 * checkpoint, so a resumed run samples exactly what an uninterrupted one would. Not thread-safe: the trainer adds
 * between updates.
 */
public final class ReplayBuffer {
    private final int capacity;
    private final List<Chunk> chunks = new ArrayList<>();
    private int next;
    private long added;

    public ReplayBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay capacity must be at least 1 chunk, got " + capacity);
        }
        this.capacity = capacity;
    }

    public void add(Chunk c) {
        if (chunks.size() < capacity) {
            chunks.add(c);
        } else {
            chunks.set(next, c);
        }
        next = (next + 1) % capacity;
        added++;
    }

    /** Every chunk held, in slot order (a read-only view). */
    public List<Chunk> all() {
        return java.util.Collections.unmodifiableList(chunks);
    }

    public int size() {
        return chunks.size();
    }

    /** Chunks added since the start (including those overwritten). */
    public long added() {
        return added;
    }

    /** {@code n} chunks drawn uniformly with replacement. */
    public List<Chunk> sample(int n, RandomGenerator rng) {
        if (chunks.isEmpty()) {
            throw new IllegalStateException("sampling an empty replay buffer");
        }
        List<Chunk> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(chunks.get(rng.nextInt(chunks.size())));
        }
        return out;
    }

    /**
     * {@code n} chunks with the same agent counts in every role, so a batch of them needs no padding: the first drawn
     * uniformly, the others uniformly with replacement among the chunks with its agent counts. Every position's chunk is
     * still uniform over the buffer (a group is chosen in proportion to its size), but the chunks of one batch now share
     * a machine size.
     */
    public List<Chunk> sampleSameAgents(int n, RandomGenerator rng) {
        if (chunks.isEmpty()) {
            throw new IllegalStateException("sampling an empty replay buffer");
        }
        Chunk first = chunks.get(rng.nextInt(chunks.size()));
        List<Chunk> like = new ArrayList<>();
        for (Chunk c : chunks) {
            if (java.util.Arrays.equals(c.agents(), first.agents())) {
                like.add(c);
            }
        }
        List<Chunk> out = new ArrayList<>(n);
        out.add(first);
        for (int i = 1; i < n; i++) {
            out.add(like.get(rng.nextInt(like.size())));
        }
        return out;
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(capacity);
        out.writeInt(next);
        out.writeLong(added);
        out.writeInt(chunks.size());
        for (Chunk c : chunks) {
            c.write(out);
        }
    }

    /**
     * Reads a buffer {@link #write} wrote; {@code withTerms} false for one from a checkpoint written before chunks kept
     * their rewards' terms (read as 0), {@code withCredit} false for one from before they kept agents' credit (none),
     * {@code withPairs} false for one from before they kept paired advantages (none), {@code withPairEnergy} false for one
     * from before they kept the pairs' energy parts (none), {@code withDraw} false for one from before they kept their
     * episodes' draws (unknown).
     */
    public static ReplayBuffer read(DataInputStream in, boolean withTerms, boolean withCredit, boolean withPairs,
                                    boolean withPairEnergy, boolean withDraw) throws IOException {
        ReplayBuffer b = new ReplayBuffer(in.readInt());
        b.next = in.readInt();
        b.added = in.readLong();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            b.chunks.add(Chunk.read(in, withTerms, withCredit, withPairs, withPairEnergy, withDraw));
        }
        return b;
    }
}
