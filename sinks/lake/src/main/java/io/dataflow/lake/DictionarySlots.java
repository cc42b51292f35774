package io.dataflow.lake;

import java.util.Arrays;

/**
 * The lookup side of a column encoder's dictionary: an open-addressing table from a value's hash to its id (the
 * entries themselves stay with the encoder, which compares them). Ids are given in order from 0; the table doubles
 * when half full.
 */
final class DictionarySlots {
    /** id + 1 per slot, 0 when empty. */
    private int[] slots;
    private int[] hashes;
    private int count;

    DictionarySlots() {
        clear();
    }

    int count() {
        return count;
    }

    /** The first slot to look at for {@code hash}; follow with {@link #next} until {@link #idAt} is -1. */
    int probe(int hash) {
        return hash & (slots.length - 1);
    }

    int next(int slot) {
        return (slot + 1) & (slots.length - 1);
    }

    /** The id in a slot, -1 when the slot is empty. */
    int idAt(int slot) {
        return slots[slot] - 1;
    }

    int hash(int id) {
        return hashes[id];
    }

    /** Registers the next id for a value of this hash (not present yet) and returns it. */
    int add(int hash) {
        if (count == hashes.length) {
            hashes = Arrays.copyOf(hashes, count * 2);
        }
        int id = count++;
        hashes[id] = hash;
        if (count * 2 > slots.length) {
            slots = new int[slots.length * 2];
            for (int i = 0; i < count; i++) {
                place(i);
            }
        } else {
            place(id);
        }
        return id;
    }

    private void place(int id) {
        int s = probe(hashes[id]);
        while (slots[s] != 0) {
            s = next(s);
        }
        slots[s] = id + 1;
    }

    void clear() {
        slots = new int[64];
        hashes = new int[32];
        count = 0;
    }
}
