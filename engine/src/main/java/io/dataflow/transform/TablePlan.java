package io.dataflow.transform;

import io.dataflow.api.ChangeEvent;
import io.dataflow.api.Column;
import io.dataflow.api.LoadBatch;
import io.dataflow.api.Op;
import io.dataflow.api.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of one table compiled for one source schema of it: the target schema (names, removed, added and masked
 * columns, key), and how a change or a full-load batch becomes the target's. Built by {@link TableRules#plan}; shared by
 * every thread (immutable).
 */
public final class TablePlan {
    private final TableSchema source;
    private final TableSchema target;
    /** For each target column: the source column it carries, or -1 for an added one. */
    private final int[] from;
    private final Expr[] computed;
    private final Masker[] maskers;
    private final Expr filter;
    private final String filterOrigin;
    private final int[] filterColumns;
    private final int[][] computedColumns;
    private final String[] targetNameOfSource;
    private final TableRules.Context context;
    private final boolean identity;
    private final boolean namesOnly;

    TablePlan(TableSchema source, TableSchema target, int[] from, Expr[] computed, Masker[] maskers, Expr filter, String filterOrigin,
            TableRules.Context context) {
        this.source = source;
        this.target = target;
        this.from = from;
        this.computed = computed;
        this.maskers = maskers;
        this.filter = filter;
        this.filterOrigin = filterOrigin;
        this.context = context;
        this.filterColumns = filter == null ? new int[0] : columnsOf(filter);
        this.computedColumns = new int[computed.length][];
        this.targetNameOfSource = new String[source.columns().size()];
        boolean sameColumns = from.length == source.columns().size();
        boolean masked = false;
        for (int c = 0; c < from.length; c++) {
            computedColumns[c] = computed[c] == null ? new int[0] : columnsOf(computed[c]);
            if (from[c] >= 0) {
                targetNameOfSource[from[c]] = target.columns().get(c).name();
            }
            sameColumns &= from[c] == c && computed[c] == null;
            masked |= maskers[c] != null;
        }
        this.namesOnly = sameColumns && !masked && filter == null;
        this.identity = namesOnly && source.equals(target);
    }

    public TableSchema source() {
        return source;
    }

    public TableSchema target() {
        return target;
    }

    /** True when nothing changes (the table's rules name nothing of it). */
    public boolean identity() {
        return identity;
    }

    /** The row filter, null when there is none. */
    public Expr filter() {
        return filter;
    }

    /** The source column target column {@code c} carries, or -1 when a rule adds it. */
    public int sourceIndex(int c) {
        return from[c];
    }

    /** How target column {@code c} is masked, or null. */
    public Rule.MaskMethod mask(int c) {
        return maskers[c] == null ? null : maskers[c].method();
    }

    /** Whether a rule masks this source column. */
    public boolean masked(String sourceColumn) {
        int i = source.indexOf(sourceColumn);
        for (int c = 0; i >= 0 && c < from.length; c++) {
            if (from[c] == i && maskers[c] != null) {
                return true;
            }
        }
        return false;
    }

    /** The target name of a source column, or null when it is removed. */
    public String targetName(String sourceColumn) {
        int i = source.indexOf(sourceColumn);
        return i < 0 ? null : targetNameOfSource[i];
    }

    /**
     * The change as the target receives it, or null when the filter drops it. With a filter, an UPDATE whose new row
     * leaves the filter becomes a DELETE, and one whose new row enters it becomes an INSERT when the old row is known to
     * have been outside (the source sent the whole old row), else an UPDATE (which every target applies as an upsert).
     */
    public ChangeEvent apply(ChangeEvent e) {
        if (identity) {
            return e;
        }
        Op op = e.op();
        if (op == Op.TRUNCATE || op == Op.RELOAD) {
            return new ChangeEvent(target, op, new Object[target.columns().size()], e.position(), e.commitTimeMicros(), e.txId(),
                    e.fullLoad());
        }
        EventInput now = new EventInput(e, e.row());
        if (filter != null && op != Op.DELETE) {
            Boolean in = keeps(now);
            if (op == Op.UPDATE) {
                Boolean was = e.before() == null ? null : keeps(new EventInput(e, e.before()));
                if (Boolean.FALSE.equals(in)) {
                    if (Boolean.FALSE.equals(was)) {
                        return null;
                    }
                    op = Op.DELETE;
                } else if (Boolean.FALSE.equals(was)) {
                    op = Op.INSERT;
                }
            } else if (!Boolean.TRUE.equals(in)) {
                return null;
            }
        }
        List<String> unchanged = new ArrayList<>(0);
        Object[] row = row(now, unchanged);
        Object[] before = e.before() == null || op != Op.UPDATE ? null : row(new EventInput(e, e.before()), new ArrayList<>(0));
        return new ChangeEvent(target, op, row, e.position(), e.commitTimeMicros(), e.txId(), e.fullLoad(),
                op == Op.UPDATE ? unchanged : List.of(), before);
    }

    /** TRUE/FALSE when the filter decides; null when it reads a value the change did not carry (unchanged TOAST). */
    private Boolean keeps(EventInput in) {
        for (int c : filterColumns) {
            if (in.unknown(c)) {
                return null;
            }
        }
        try {
            Object v = filter.eval(in);
            return v != null && Expr.truth(v);
        } catch (RuntimeException ex) {
            throw failure(filterOrigin, ex);
        }
    }

    private Object[] row(EventInput in, List<String> unchanged) {
        Object[] out = new Object[from.length];
        for (int c = 0; c < from.length; c++) {
            Column col = target.columns().get(c);
            if (from[c] >= 0) {
                if (in.unknown(from[c])) {
                    unchanged.add(col.name());
                    continue;
                }
                Object v = in.row[from[c]];
                out[c] = maskers[c] == null ? v : KindValues.of(maskers[c].mask(v), col.type());
            } else {
                boolean known = true;
                for (int s : computedColumns[c]) {
                    known &= !in.unknown(s);
                }
                if (!known) {
                    unchanged.add(col.name());
                    continue;
                }
                out[c] = evaluate(c, in);
            }
        }
        return out;
    }

    private Object evaluate(int c, Expr.Input in) {
        try {
            return KindValues.of(computed[c].eval(in), target.columns().get(c).type());
        } catch (RuntimeException ex) {
            throw failure("add-column " + target.columns().get(c).name(), ex);
        }
    }

    private RuntimeException failure(String what, RuntimeException ex) {
        return new IllegalStateException("table " + source.id() + ": " + what + " could not be computed: " + ex.getMessage(), ex);
    }

    /**
     * A full-load batch as the target receives it: the same arrays under the new names when only names change, else a
     * new batch ({@code reuse} when it fits) with the kept rows, masked and added columns.
     */
    public LoadBatch apply(LoadBatch in, LoadBatch reuse) {
        if (identity) {
            return in;
        }
        if (namesOnly) {
            return in.withSchema(target);
        }
        LoadBatch out = reuse != null && reuse.schema() == target && reuse.capacity() >= in.size()
                ? reuse : new LoadBatch(target, Math.max(1, in.capacity()), in.snapshotLogPosition(), in.commitTimeMicros());
        out.clear();
        BatchInput row = new BatchInput(in);
        for (int r = 0; r < in.size(); r++) {
            row.row = r;
            if (filter != null) {
                Object keep;
                try {
                    keep = filter.eval(row);
                } catch (RuntimeException ex) {
                    throw failure(filterOrigin, ex);
                }
                if (keep == null || !Expr.truth(keep)) {
                    continue;
                }
            }
            int o = out.addRow(in.ordinal(r));
            for (int c = 0; c < from.length; c++) {
                int s = from[c];
                if (s < 0) {
                    out.set(o, c, evaluate(c, row));
                } else if (maskers[c] != null) {
                    out.set(o, c, KindValues.of(maskers[c].mask(in.value(r, s)), target.columns().get(c).type()));
                } else {
                    in.copyCell(r, s, out, o, c);
                }
            }
        }
        return out;
    }

    private static int[] columnsOf(Expr e) {
        List<Integer> found = new ArrayList<>();
        collect(e, found);
        return found.stream().distinct().mapToInt(Integer::intValue).toArray();
    }

    private static void collect(Expr e, List<Integer> out) {
        if (e instanceof Expr.ColumnRef c) {
            out.add(c.index());
        } else if (e instanceof Expr.Not n) {
            collect(n.operand(), out);
        } else if (e instanceof Expr.Negate n) {
            collect(n.operand(), out);
        } else if (e instanceof Expr.Logic l) {
            collect(l.left(), out);
            collect(l.right(), out);
        } else if (e instanceof Expr.Compare c) {
            collect(c.left(), out);
            collect(c.right(), out);
        } else if (e instanceof Expr.Arithmetic a) {
            collect(a.left(), out);
            collect(a.right(), out);
        } else if (e instanceof Expr.Concat c) {
            collect(c.left(), out);
            collect(c.right(), out);
        } else if (e instanceof Expr.IsNull n) {
            collect(n.operand(), out);
        } else if (e instanceof Expr.In i) {
            collect(i.operand(), out);
            i.values().forEach(v -> collect(v, out));
        } else if (e instanceof Expr.Between b) {
            collect(b.operand(), out);
            collect(b.low(), out);
            collect(b.high(), out);
        } else if (e instanceof Expr.Like l) {
            collect(l.operand(), out);
            collect(l.pattern(), out);
        } else if (e instanceof Expr.Case c) {
            c.conditions().forEach(v -> collect(v, out));
            c.results().forEach(v -> collect(v, out));
            if (c.otherwise() != null) {
                collect(c.otherwise(), out);
            }
        } else if (e instanceof Expr.Call c) {
            c.args().forEach(v -> collect(v, out));
        }
    }

    /** A change's row (or old row) as an expression reads it. */
    private final class EventInput implements Expr.Input {
        private final ChangeEvent event;
        private final Object[] row;

        EventInput(ChangeEvent event, Object[] row) {
            this.event = event;
            this.row = row;
        }

        boolean unknown(int column) {
            return !event.unchanged().isEmpty() && row == event.row() && event.unchanged().contains(source.columns().get(column).name());
        }

        @Override
        public Object column(int index) {
            return row[index];
        }

        @Override
        public Object meta(Expr.Meta m) {
            return switch (m) {
                case OPERATION -> event.fullLoad() ? "LOAD" : switch (event.op()) {
                    case INSERT, READ -> "INSERT";
                    case UPDATE -> "UPDATE";
                    case DELETE -> "DELETE";
                    case TRUNCATE -> "TRUNCATE";
                    case RELOAD -> "RELOAD";
                };
                case COMMIT_TIMESTAMP -> event.commitTimeMicros();
                case POSITION -> event.position();
                case TRANSACTION_ID -> event.txId();
                default -> context.meta(m, source.id());
            };
        }
    }

    /** One row of a full-load batch as an expression reads it. */
    private final class BatchInput implements Expr.Input {
        private final LoadBatch batch;
        int row;

        BatchInput(LoadBatch batch) {
            this.batch = batch;
        }

        @Override
        public Object column(int index) {
            return batch.value(row, index);
        }

        @Override
        public Object meta(Expr.Meta m) {
            return switch (m) {
                case OPERATION -> "LOAD";
                case COMMIT_TIMESTAMP -> batch.commitTimeMicros();
                case POSITION -> batch.position(row);
                case TRANSACTION_ID -> "";
                default -> context.meta(m, source.id());
            };
        }
    }
}
