package io.dataflow.source.binlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.runtime.ValueIssues;
import io.dataflow.source.debezium.SourceServices;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Zero dates are counted per running source: two pipelines in one JVM keep their own counts. */
class ZeroDateConverterTest {

    @Test
    void eachSourceCountsItsOwnZeroDates() {
        ValueIssues first = new ValueIssues();
        ValueIssues second = new ValueIssues();
        String a = SourceServices.register(new SourceServices(null, first));
        String b = SourceServices.register(new SourceServices(null, second));
        try {
            CustomConverter.Converter inA = converter(a);
            CustomConverter.Converter inB = converter(b);
            assertThat(inA.convert("0000-00-00")).isEqualTo("");
            assertThat(inA.convert("0000-00-00")).isEqualTo("");
            assertThat(inA.convert("2024-02-29")).isNotEqualTo("");
            assertThat(inB.convert("0000-00-00")).isEqualTo("");
            assertThat(first.snapshot()).isEqualTo(Map.of("shop.orders.shipped: zero dates written as null", 2L));
            assertThat(second.snapshot()).isEqualTo(Map.of("shop.orders.shipped: zero dates written as null", 1L));
        } finally {
            SourceServices.release(a);
            SourceServices.release(b);
        }
        assertThat(SourceServices.of(a)).isEmpty();
    }

    /** The converter a source with registration {@code id} gets for a NOT NULL date column shop.orders.shipped. */
    private static CustomConverter.Converter converter(String id) {
        ZeroDateConverter z = new ZeroDateConverter();
        Properties p = new Properties();
        p.setProperty(SourceServices.ID_PROPERTY, id);
        z.configure(p);
        RelationalColumn column = (RelationalColumn) Proxy.newProxyInstance(RelationalColumn.class.getClassLoader(),
                new Class<?>[] {RelationalColumn.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isOptional", "hasDefaultValue" -> false;
                    case "typeName" -> "DATE";
                    case "dataCollection" -> "shop.orders";
                    case "name" -> "shipped";
                    default -> null;
                });
        AtomicReference<CustomConverter.Converter> registered = new AtomicReference<>();
        z.converterFor(column, (schema, converter) -> registered.set(converter));
        return registered.get();
    }
}
