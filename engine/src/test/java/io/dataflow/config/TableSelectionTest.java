package io.dataflow.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.TableId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TableSelectionTest {
    @Test
    void includeThenExcludeWithWildcards() {
        TableSelection s = new TableSelection(List.of("public.*", "sales.order?"), List.of("public.tmp_*"));
        assertThat(s.matches(new TableId("public", "customers"))).isTrue();
        assertThat(s.matches(new TableId("public", "tmp_import"))).isFalse();
        assertThat(s.matches(new TableId("sales", "orders"))).isTrue();
        assertThat(s.matches(new TableId("sales", "order_lines"))).isFalse();
        assertThat(s.matches(new TableId("other", "customers"))).isFalse();
    }

    @Test
    void namesAreCaseSensitiveAndRegexCharactersAreLiteral() {
        TableSelection s = new TableSelection(List.of("public.Order Items", "x.a+b"), List.of());
        assertThat(s.matches(new TableId("public", "Order Items"))).isTrue();
        assertThat(s.matches(new TableId("public", "order items"))).isFalse();
        assertThat(s.matches(new TableId("x", "a+b"))).isTrue();
        assertThat(s.matches(new TableId("x", "aab"))).isFalse();
    }
}
