package io.dataflow.lake.processed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes of one table staged for its next commit, reduced to the last state of each key: an insert followed by
 * updates is one row, anything followed by a delete is a delete. Columns the source did not send (unchanged TOAST
 * values) are filled from the key's earlier staged state when there is one; the rest are filled from the table at
 * commit time. Events at or before a key's staged position are ignored, so a replay of events already staged (after a
 * source restart) changes nothing.
 */
final class PendingChanges {
    private final Map<List<Object>, Change> byKey = new HashMap<>();
    private long bytes;
    private String lastPosition = "";

    /**
     * The staged state of one key.
     *
     * @param key      the key values (Iceberg representation), in key-column order
     * @param values   the row in the table's column order (Iceberg representation); null for a delete
     * @param missing  columns whose value is still to be taken from the table (unchanged and not staged before)
     * @param position the position of the last event applied
     */
    record Change(List<Object> key, Object[] values, BitSet missing, String position) {
        boolean isDelete() {
            return values == null;
        }
    }

    void upsert(List<Object> key, Object[] values, BitSet unchanged, String position, long approxBytes) {
        Change before = byKey.get(key);
        if (before != null && position.compareTo(before.position) <= 0) {
            return;
        }
        BitSet missing = (BitSet) unchanged.clone();
        if (before != null && !missing.isEmpty()) {
            if (before.isDelete()) {
                missing.clear();
            } else {
                for (int c = missing.nextSetBit(0); c >= 0; c = missing.nextSetBit(c + 1)) {
                    values[c] = before.values[c];
                }
                missing.and(before.missing);
            }
        }
        put(new Change(key, values, missing, position), approxBytes);
    }

    void delete(List<Object> key, String position) {
        Change before = byKey.get(key);
        if (before != null && position.compareTo(before.position) <= 0) {
            return;
        }
        put(new Change(key, null, new BitSet(), position), 16);
    }

    private void put(Change c, long approxBytes) {
        byKey.put(c.key(), c);
        bytes += approxBytes + 64;
        if (c.position().compareTo(lastPosition) > 0) {
            lastPosition = c.position();
        }
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    int size() {
        return byKey.size();
    }

    /** About how much heap the staged changes take (values counted once per event, so an overestimate after updates). */
    long bytes() {
        return bytes;
    }

    /** The highest position staged. */
    String lastPosition() {
        return lastPosition;
    }

    Collection<Change> changes() {
        return byKey.values();
    }

    Change get(List<Object> key) {
        return byKey.get(key);
    }

    /** The staged keys, sorted by their first key column and then the rest (for file pruning and sorted files). */
    List<List<Object>> sortedKeys() {
        List<List<Object>> keys = new ArrayList<>(byKey.keySet());
        keys.sort(PendingChanges::compareKeys);
        return keys;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareKeys(List<Object> a, List<Object> b) {
        for (int i = 0; i < a.size(); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            if (x == null || y == null) {
                int c = Boolean.compare(x != null, y != null);
                if (c != 0) {
                    return c;
                }
                continue;
            }
            int c = x instanceof CharSequence && y instanceof CharSequence ? x.toString().compareTo(y.toString())
                    : ((Comparable) x).compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    void clear() {
        byKey.clear();
        bytes = 0;
    }

    @Override
    public String toString() {
        return byKey.size() + " keys " + Arrays.asList(bytes, lastPosition);
    }
}
