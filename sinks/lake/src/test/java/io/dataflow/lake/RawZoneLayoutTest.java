package io.dataflow.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflow.api.TableId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RawZoneLayoutTest {
    final RawZoneLayout layout = new RawZoneLayout("shop");

    static long micros(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    @Test
    void changeFilesArePartitionedByUtcCommitDateAndNamedByFirstPosition() {
        TableId t = new TableId("public", "orders");
        assertThat(layout.changeFile(t, micros("2024-12-31T23:59:59.999999Z"), "1-00a"))
                .isEqualTo("raw/shop/public/orders/2024/12/31/1-00a.parquet");
        assertThat(layout.changeFile(t, micros("2025-01-01T00:00:00Z"), "1-00b"))
                .isEqualTo("raw/shop/public/orders/2025/01/01/1-00b.parquet");
        assertThat(RawZoneLayout.datePath(micros("1969-12-31T23:59:59.5Z"))).isEqualTo("1969/12/31");
    }

    @Test
    void fullLoadFilesAreNumbered() {
        assertThat(layout.loadFile(new TableId("public", "orders"), 1)).isEqualTo("raw/shop/public/orders/LOAD00000001.parquet");
        assertThat(RawZoneLayout.isLoadFile("raw/shop/public/orders/LOAD00000012.parquet")).isTrue();
        assertThat(RawZoneLayout.positionOf("raw/shop/public/orders/LOAD00000012.parquet")).isEmpty();
        assertThat(RawZoneLayout.positionOf("raw/shop/public/orders/2024/01/02/1-0a-0b-0000.parquet")).contains("1-0a-0b-0000");
    }

    @Test
    void oddNamesKeepTheirCaseAndMapToOneFolder() {
        assertThat(layout.tableDir(new TableId("Sales", "Order Items"))).isEqualTo("raw/shop/Sales/Order Items/");
        assertThat(layout.tableDir(new TableId("a/b", ".hidden"))).isEqualTo("raw/shop/a%2Fb/%2Ehidden/");
        assertThat(layout.tableDir(new TableId("x", "50%"))).isEqualTo("raw/shop/x/50%25/");
    }

    @Test
    void aTableFolderNamesItsTableBack() {
        for (TableId t : java.util.List.of(new TableId("Sales", "Order Items"), new TableId("a/b", ".hidden"), new TableId("p%c", "x\\y\tz"))) {
            assertThat(layout.tableOf(layout.tableDir(t))).isEqualTo(t);
        }
    }
}
