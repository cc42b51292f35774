package io.dataflow.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * DataFlow's modules on the class path, found with {@link ServiceLoader} through the loader of {@code type}. A provider
 * listed by a jar of another class loader is skipped, not fatal: inside a Kafka Connect worker the plugin's own loader
 * also sees the worker's class path, where another copy of DataFlow may list providers of its own copy of the type.
 */
public final class Providers {
    private Providers() {}

    public static <T> List<T> load(Class<T> type) {
        List<T> out = new ArrayList<>();
        Iterator<T> it = ServiceLoader.load(type, type.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return out;
                }
                out.add(it.next());
            } catch (ServiceConfigurationError otherLoader) {
                // "not a subtype": a provider class of another class loader; the iterator goes on with the next one
            }
        }
    }
}
