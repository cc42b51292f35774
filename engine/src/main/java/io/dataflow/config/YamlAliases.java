package io.dataflow.config;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

/**
 * Refuses YAML aliases ({@code *name}): the YAML reader DataFlow uses would read {@code database: *u} as the text
 * {@code u}, silently. The error names the key the alias stands under.
 */
final class YamlAliases {
    private YamlAliases() {}

    /** One open mapping or list: its path, and for a mapping the key whose value comes next. */
    private static final class Frame {
        final String path;
        final boolean mapping;
        String key;
        int index;

        Frame(String path, boolean mapping) {
            this.path = path;
            this.mapping = mapping;
        }

        /** The path of the value that comes next in this collection. */
        String child() {
            String name = mapping ? key : "[" + index + "]";
            return mapping && !path.isEmpty() ? path + "." + name : path + name;
        }

        /** A value was read: a mapping expects its next key, a list counts. */
        void valueRead() {
            if (mapping) {
                key = null;
            } else {
                index++;
            }
        }
    }

    static void refuse(String yaml) {
        Deque<Frame> open = new ArrayDeque<>();
        for (Iterator<Event> it = new Yaml().parse(new StringReader(yaml)).iterator(); it.hasNext(); ) {
            Event e = it.next();
            Frame top = open.peek();
            boolean keyNext = top != null && top.mapping && top.key == null;
            if (e instanceof AliasEvent a) {
                String where = top == null ? "pipeline" : keyNext ? (top.path.isEmpty() ? "pipeline" : top.path) : top.child();
                throw new ConfigException(where + ": '*" + a.getAnchor() + "' is a YAML alias, which is not supported; write the value "
                        + "out (line " + (e.getStartMark().getLine() + 1) + ")");
            } else if (e instanceof ScalarEvent s) {
                if (keyNext) {
                    top.key = s.getValue();
                } else if (top != null) {
                    top.valueRead();
                }
            } else if (e instanceof MappingStartEvent || e instanceof SequenceStartEvent) {
                String path = top == null ? "" : top.child();
                open.push(new Frame(path, e instanceof MappingStartEvent));
            } else if (e instanceof CollectionEndEvent) {
                open.pop();
                if (open.peek() != null) {
                    open.peek().valueRead();
                }
            }
        }
    }
}
