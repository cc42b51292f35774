package io.dataflow.api;

import java.util.List;
import java.util.Map;

/**
 * What a source delivers at once: events (possibly none, e.g. a heartbeat) and the source offset that
 * covers them, so that a checkpoint taken after this batch resumes just after it.
 *
 * @param events       the events, in position order
 * @param offset       the source's resume token after this batch
 * @param fullLoadDone true once the full load has delivered every row (always true in CDC-only runs)
 * @param ackToken     opaque to the runtime: handed back in {@link ChangeSource#acknowledge(SourceBatch)}
 */
public record SourceBatch(List<ChangeEvent> events, Map<String, Object> offset, boolean fullLoadDone, Object ackToken) {
    public SourceBatch {
        events = List.copyOf(events);
    }
}
