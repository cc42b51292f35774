#!/usr/bin/env bash
# DataFlow benchmark harness. Measures; asserts nothing.
#   bench/run.sh [--scale N] [--large-scale N] [--repeats N] [--scenarios fullload,latency] [--rates 100,1000] [--seconds S]
#                [--streaming-engine debezium|native]  (PostgreSQL's change-stream reader in throughput, latency, large-transaction)
# Defaults: scale 20 (pgbench_accounts with 2M rows; the same shape in MariaDB), 3 repeats, all scenarios
# (fullload, fullload-mariadb, migrate, throughput, cdc-drain, reload, rules, latency, processed, validate, assess; large-values, large-transaction and connect-sink only when named), rates 100 and 1000 tx/s, 10 s each; fullload also
# runs once on a larger pgbench_accounts (--large-scale 100: 10M rows, database dataflow_bench_s100; 0 skips it).
# Writes bench/results/<date>-<host>.json and .md, and prints the Markdown summary.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=20; LARGE_SCALE=100; REPEATS=3; SCENARIOS=fullload,fullload-mariadb,migrate,latency,throughput,cdc-drain,reload,rules,processed,validate,assess; MERGE_ROWS=10000000; RATES=100,1000; SECONDS_PER_RATE=10; FLUSH=500ms; STREAMING_ENGINE=debezium
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) SCALE=$2; shift 2;; --large-scale) LARGE_SCALE=$2; shift 2;; --repeats) REPEATS=$2; shift 2;; --scenarios) SCENARIOS=$2; shift 2;;
    --rates) RATES=$2; shift 2;; --seconds) SECONDS_PER_RATE=$2; shift 2;; --flush) FLUSH=$2; shift 2;;
    --merge-rows) MERGE_ROWS=$2; shift 2;; --streaming-engine) STREAMING_ENGINE=$2; shift 2;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2;;
  esac
done
command -v /usr/bin/time >/dev/null || { echo "bench: installing GNU time"; apt-get install -y -qq time >/dev/null; }
if [[ ",$SCENARIOS," == *",migrate,"* ]] && ! command -v pgloader >/dev/null; then
  echo "bench: installing pgloader (the MariaDB -> PostgreSQL baseline)"
  apt-get install -y -qq pgloader >/dev/null 2>&1 || echo "bench: pgloader could not be installed; its column stays empty"
fi
bash scripts/setup-databases.sh
# the harness is the bench module (compiled with the build, not run by its tests); it launches bin/dataflow, whose
# class-data archive for this jar is kept in $OUT/tmp/cds
[ -f cli/target/dataflow.jar ] && [ -f bench/target/classpath.txt ] || mvn -B -q package -DskipTests
BENCH="java -cp bench/target/classes:$(cat bench/target/classpath.txt) io.dataflow.bench.Bench"
DB=dataflow_bench
PSQL="psql -h 127.0.0.1 -U postgres -qAt"
$PSQL -d postgres -c "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name in ('dataflow_benchval','dataflow_benchvalm','dataflow_benchfl','dataflow_benchflp','dataflow_benchlat','dataflow_benchlatp','dataflow_benchlatdb','bench_debezium') and not active" >/dev/null
# ensure_pgbench DB SCALE: a database holding pgbench's tables at that scale (created when missing or of another size)
ensure_pgbench() {
  local rows
  rows=$($PSQL -d "$1" -c "select count(*) from pgbench_accounts" 2>/dev/null || echo 0)
  if [ "$rows" != "$(($2 * 100000))" ]; then
    echo "bench: creating $1 with pgbench -i -s $2 ($(($2 * 100000)) rows)"
    $PSQL -d postgres -c "drop database if exists $1 with (force)" -c "create database $1" >/dev/null
    pgbench -h 127.0.0.1 -U postgres -i -s "$2" -q "$1" >/dev/null 2>&1
    $PSQL -d "$1" -c "vacuum analyze" >/dev/null
  fi
}
ensure_pgbench $DB "$SCALE"
maria_rows=$(mariadb -uroot -N -B -e "select count(*) from $DB.accounts" 2>/dev/null || echo 0)
if [[ ",$SCENARIOS," == *",fullload-mariadb,"* || ",$SCENARIOS," == *",cdc-drain,"* || ",$SCENARIOS," == *",migrate,"* || ",$SCENARIOS," == *",validate,"* || ",$SCENARIOS," == *",assess,"* ]] && [ "$maria_rows" != "$((SCALE * 100000))" ]; then
  echo "bench: creating MariaDB $DB.accounts ($((SCALE * 100000)) rows, pgbench_accounts' shape)"
  mariadb -uroot -e "drop database if exists $DB; create database $DB; create table $DB.accounts (aid int primary key, bid int, abalance int, filler char(84)) engine=InnoDB; use $DB; insert into accounts select seq, 1 + seq div 100000, 0, '' from seq_1_to_$((SCALE * 100000)); analyze table $DB.accounts" >/dev/null
fi
STAMP="$(date -u +%Y-%m-%d)-$(hostname -s)"
OUT=bench/results; mkdir -p $OUT/tmp
parts=()
if [[ ",$SCENARIOS," == *",fullload,"* ]]; then
  $BENCH fullload --db $DB --repeats "$REPEATS" --out $OUT/tmp/fullload.json --work $OUT/tmp
  parts+=("$OUT/tmp/fullload.json")
fi
if [[ ",$SCENARIOS," == *",fullload,"* ]] && [ "$LARGE_SCALE" -gt 0 ]; then
  LARGE_DB=dataflow_bench_s$LARGE_SCALE
  ensure_pgbench $LARGE_DB "$LARGE_SCALE"
  $BENCH fullload --db $LARGE_DB --repeats 1 --out $OUT/tmp/fullload-large.json --work $OUT/tmp
  parts+=("$OUT/tmp/fullload-large.json")
fi
if [[ ",$SCENARIOS," == *",fullload-mariadb,"* ]]; then
  $BENCH fullload-mariadb --db $DB --repeats "$REPEATS" --out $OUT/tmp/fullload-mariadb.json --work $OUT/tmp
  parts+=("$OUT/tmp/fullload-mariadb.json")
fi
if [[ ",$SCENARIOS," == *",migrate,"* ]]; then
  for d in mariadb-to-postgres postgres-to-mariadb; do
    $BENCH migrate-$d --db $DB --repeats "$REPEATS" --out $OUT/tmp/migrate-$d.json --work $OUT/tmp
    parts+=("$OUT/tmp/migrate-$d.json")
  done
fi
if [[ ",$SCENARIOS," == *",cdc-drain,"* ]]; then
  $BENCH cdc-drain --db $DB --changes "${DRAIN_CHANGES:-400000}" --out $OUT/tmp/cdc-drain.json --work $OUT/tmp
  parts+=("$OUT/tmp/cdc-drain.json")
  $BENCH cdc-drain-mariadb --db $DB --changes "${DRAIN_CHANGES:-400000}" --out $OUT/tmp/cdc-drain-mariadb.json --work $OUT/tmp
  parts+=("$OUT/tmp/cdc-drain-mariadb.json")
fi
if [[ ",$SCENARIOS," == *",reload,"* ]]; then
  $BENCH reload --db $DB --out $OUT/tmp/reload.json --work $OUT/tmp
  parts+=("$OUT/tmp/reload.json")
fi
if [[ ",$SCENARIOS," == *",rules,"* ]]; then
  $BENCH rules --db $DB --repeats "$REPEATS" --out $OUT/tmp/rules.json --work $OUT/tmp
  parts+=("$OUT/tmp/rules.json")
fi
if [[ ",$SCENARIOS," == *",throughput,"* ]]; then
  $BENCH throughput --streaming-engine "$STREAMING_ENGINE" --db $DB --seconds 30 --out $OUT/tmp/throughput.json --work $OUT/tmp
  parts+=("$OUT/tmp/throughput.json")
fi
if [[ ",$SCENARIOS," == *",latency,"* ]]; then
  $BENCH latency --streaming-engine "$STREAMING_ENGINE" --db $DB --rates "$RATES" --seconds "$SECONDS_PER_RATE" --flush "$FLUSH" --out $OUT/tmp/latency.json --work $OUT/tmp
  parts+=("$OUT/tmp/latency.json")
  $BENCH latency-database --streaming-engine "$STREAMING_ENGINE" --db $DB --rates "$RATES" --seconds "$SECONDS_PER_RATE" --flush "$FLUSH" --out $OUT/tmp/latency-database.json --work $OUT/tmp
  parts+=("$OUT/tmp/latency-database.json")
fi
if [[ ",$SCENARIOS," == *",processed,"* ]]; then
  $BENCH latency-processed --streaming-engine "$STREAMING_ENGINE" --db $DB --rates "$RATES" --seconds "$SECONDS_PER_RATE" --flush "$FLUSH" --commit 1s --out $OUT/tmp/latency-processed.json --work $OUT/tmp
  parts+=("$OUT/tmp/latency-processed.json")
  $BENCH fullload-processed --db $DB --repeats "$REPEATS" --out $OUT/tmp/fullload-processed.json --work $OUT/tmp
  parts+=("$OUT/tmp/fullload-processed.json")
  $BENCH processed-merge --db $DB --rows "$MERGE_ROWS" --out $OUT/tmp/processed-merge.json --work $OUT/tmp
  parts+=("$OUT/tmp/processed-merge.json")
  $BENCH processed-hour --db $DB --out $OUT/tmp/processed-hour.json --work $OUT/tmp
  parts+=("$OUT/tmp/processed-hour.json")
fi
if [[ ",$SCENARIOS," == *",large-values,"* ]]; then
  $BENCH large-values --db $DB --out $OUT/tmp/large-values.json --work $OUT/tmp
  parts+=("$OUT/tmp/large-values.json")
fi
if [[ ",$SCENARIOS," == *",connect-sink,"* ]]; then
  java -Xmx2g -cp bench/target/classes:$(cat bench/target/classpath.txt) io.dataflow.bench.Bench connect-sink --out $OUT/tmp/connect-sink.json --work $OUT/tmp
  parts+=("$OUT/tmp/connect-sink.json")
fi
if [[ ",$SCENARIOS," == *",large-transaction,"* ]]; then
  $BENCH large-transaction --streaming-engine "$STREAMING_ENGINE" --db $DB --out $OUT/tmp/large-transaction.json --work $OUT/tmp
  parts+=("$OUT/tmp/large-transaction.json")
fi
if [[ ",$SCENARIOS," == *",assess,"* ]]; then
  $BENCH assess --db $DB --repeats "$REPEATS" --out $OUT/tmp/assess.json --work $OUT/tmp
  parts+=("$OUT/tmp/assess.json")
fi
if [[ ",$SCENARIOS," == *",validate,"* ]]; then
  $BENCH validate --db $DB --repeats "$REPEATS" --out $OUT/tmp/validate.json --work $OUT/tmp
  parts+=("$OUT/tmp/validate.json")
  $BENCH validate-mariadb --db $DB --repeats "$REPEATS" --out $OUT/tmp/validate-mariadb.json --work $OUT/tmp
  parts+=("$OUT/tmp/validate-mariadb.json")
fi
python3 - "$STAMP" "$OUT" "${parts[@]}" <<'PY'
import json, sys, platform, os, subprocess
stamp, out, parts = sys.argv[1], sys.argv[2], sys.argv[3:]
cpu = next((l.split(":",1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
report = {"date": stamp[:10], "host": platform.node(), "cpus": os.cpu_count(), "cpu": cpu,
          "java": subprocess.run(["java","-version"],capture_output=True,text=True).stderr.splitlines()[0],
          "postgres": subprocess.run(["psql","-h","127.0.0.1","-U","postgres","-qAt","-c","show server_version"],capture_output=True,text=True).stdout.strip(),
          "scenarios": [json.load(open(p)) for p in parts]}
json.dump(report, open(f"{out}/{stamp}.json","w"), indent=2)
md = [f"Measured {report['date']} on {report['host']} ({report['cpus']} cores, {cpu}), PostgreSQL {report['postgres']}, {report['java']}.", ""]
for s in report["scenarios"]:
    if s.get("streaming_engine"):
        md += [f"(PostgreSQL's change stream read by the {s['streaming_engine']} reader, `source.streaming-engine: {s['streaming_engine']}`.)", ""]
    if s["scenario"] == "fullload-mariadb-to-local-lake":
        md += [f"Full load of MariaDB `{s['table']}` ({s['rows']:,} rows, pgbench_accounts' shape), median of {s['repeats']}:", "",
               "| path | seconds (min / median) | rows/s | DataFlow's rows/s as a fraction of this |", "|---|---|---|---|",
               f"| `mariadb --quick -e 'select * ...'` to /dev/null | {s['client_s']['min']} / {s['client_s']['median']} | {s['client_rows_per_s']:,} | {s['ratio_to_client']} |",
               f"| Debezium embedded snapshot (MariaDB connector), records discarded | {s['debezium_s']['min']} / {s['debezium_s']['median']} | {s['debezium_rows_per_s']:,} | {s['ratio_to_debezium']} |",
               f"| `bin/dataflow run` mode full-load (chunks in parallel inside one consistent snapshot; whole process incl. JVM start) | {s['dataflow_s']['min']} / {s['dataflow_s']['median']} | {s['rows_per_s']:,} | 1 |",
               f"| `bin/dataflow run` mode full-load-and-cdc (lock-free chunks while the binlog streams; process start to 'full load done') | {s['streaming_s']['min']} / {s['streaming_s']['median']} | {s['streaming_rows_per_s']:,} | {round(s['streaming_s']['median'] / s['dataflow_s']['median'], 2)} |", "",
               f"Ratios of the full-load-and-cdc run: {s['streaming_ratio_to_client']} of the client, {s['streaming_ratio_to_debezium']}x Debezium's snapshot.",
               f"DataFlow peak RSS: {s['dataflow_peak_rss_mb']} MiB with -Xmx{s['dataflow_heap']}.", ""]
    elif s["scenario"] == "rules-fullload-postgres-to-local-lake":
        md += [f"Table rules, full load of `{s['table']}` ({s['rows']:,} rows) into a local lake (`dataflow run` mode full-load, whole process), median of {s['repeats']}:", "",
               "| rules | seconds (min / median) | rows/s | speed as a fraction of no rules |", "|---|---|---|---|"]
        for k, what in [("none", "none"), ("renames", "renames only (table, columns): batches passed on under the new names"),
                        ("remove_add", "remove-column `filler`, add-column `abalance * 2 + bid`: every batch rebuilt"),
                        ("mask_hash", "mask `aid` with a keyed hash (HMAC-SHA-256, hex)"),
                        ("filter_half", f"filter `bid % 2 = 0` (read in the database; {s['rows_kept_by_filter']:,} rows kept)")]:
            md.append(f"| {what} | {s[k+'_s']['min']} / {s[k+'_s']['median']} | {s[k+'_rows_per_s']:,} | {s[k+'_ratio_to_none']} |")
        md.append("")
    elif s["scenario"].startswith("migrate-"):
        src, dst = ("MariaDB", "PostgreSQL") if s["scenario"] == "migrate-mariadb-to-postgres" else ("PostgreSQL", "MariaDB")
        md += [f"Database to database, {src} `{s['table']}` ({s['rows']:,} rows) into {dst}, median of {s['repeats']}:", "",
               "| path | seconds (min / median) | rows/s | DataFlow's rows/s as a fraction of this |", "|---|---|---|---|"]
        if src == "MariaDB":
            md.append(f"| `mariadb --quick -B` piped into `psql \\copy ... from stdin` | {s['pipe_s']['min']} / {s['pipe_s']['median']} | {s['pipe_rows_per_s']:,} | {s['ratio_to_pipe']} |")
            if "pgloader_s" in s:
                md.append(f"| pgloader (Debian package) | {s['pgloader_s']['min']} / {s['pgloader_s']['median']} | {s['pgloader_rows_per_s']:,} | {s['ratio_to_pgloader']} |")
        else:
            md.append(f"| `psql \\copy ... to stdout` piped into `LOAD DATA LOCAL INFILE` | {s['pipe_s']['min']} / {s['pipe_s']['median']} | {s['pipe_rows_per_s']:,} | {s['ratio_to_pipe']} |")
        md += [f"| `bin/dataflow run` (mode full-load, jdbc target, whole process incl. JVM start and DDL) | {s['dataflow_s']['min']} / {s['dataflow_s']['median']} | {s['rows_per_s']:,} | 1 |", "",
               f"DataFlow peak RSS: {s['dataflow_peak_rss_mb']} MiB with -Xmx{s['dataflow_heap']}. {s['note']}.", ""]
    elif s["scenario"].startswith("cdc-throughput"):
        md += [f"Sustained CDC: pgbench TPC-B-like, {s['clients']} clients for {s['seconds']} s ({s['source_tps']} tx/s, each 3 updates + 1 insert), "
               f"`dataflow run` in mode cdc on the four pgbench tables, flush interval 500 ms:", "",
               "| changes/s written during the run | changes in the run | lag at the end of the run | drain after the run |", "|---|---|---|---|",
               f"| {s['changes_per_s_during_run']:,} (source made ~{s['source_changes_expected_per_s']:,.0f}/s) | {s['changes_during_run']:,} | {s['lag_ms_at_end_of_run']} ms | {s['drain_s_after_run']} s |", ""]
    elif s["scenario"] == "reload-postgres-to-local-lake":
        md += [f"`dataflow reload` of pgbench_accounts ({s['rows']:,} rows) into a running pipeline (mode cdc, local lake), from the request until every row "
               f"was read again and is durable: {s['seconds']:.1f} s, {s['rows_per_second']:,.0f} rows/s (Debezium's incremental snapshot, 1,024-row chunks between watermarks).", ""]
    elif s["scenario"] == "cdc-drain-mariadb":
        md += [f"CDC drain, MariaDB: a backlog of {s['changes']:,} single-row updates of `accounts` ({s['changes_per_transaction']:,} per transaction) "
               "committed while every reader was stopped at the binlog position before it; each reader then drains it (DataFlow: until `/status` shows "
               "every change received and none pending, i.e. durable in a local lake, flush 500 ms):", "",
               "| reader | seconds | changes/s | CPU s per 1,000 changes |", "|---|---|---|---|"]
        md += [f"| {r['reader']} | {r['seconds']:.2f} | {r['changes_per_second']:,.0f} | {r['cpu_seconds_per_1000']:.4f} |" for r in s["readers"]]
        md += ["", f"DataFlow drains at {s['dataflow_vs_debezium']:.2f}x the speed of stock Debezium (goal: at least 0.9x).", ""]
    elif s["scenario"] == "cdc-drain":
        md += [f"CDC drain: one PostgreSQL backlog of {s['changes']:,} single-row updates of pgbench_accounts ({s['changes_per_transaction']:,} per transaction, "
               f"{s['wal_bytes'] / 1048576:,.0f} MiB of WAL), built while nothing read it and held by one pgoutput slot per reader; each reader drains its own slot "
               "(DataFlow: until `/status` shows every change received and none pending, i.e. durable in a local lake, flush 500 ms):", "",
               "| reader | seconds | changes/s | CPU s per 1,000 changes |", "|---|---|---|---|"]
        md += [f"| {r['reader']} | {r['seconds']:.2f} | {r['changes_per_second']:,.0f} | {r['cpu_seconds_per_1000']:.4f} |" for r in s["readers"]]
        md += ["", f"DataFlow with Debezium's reader drains at {s['dataflow_vs_debezium']:.2f}x the speed of stock Debezium (goal: at least 0.9x)"
               + (f" and {s['dataflow_vs_pg_recvlogical']:.2f}x pg_recvlogical's." if "dataflow_vs_pg_recvlogical" in s else ".")]
        if "native_vs_pg_recvlogical" in s:
            md += [f"DataFlow with the native pgoutput reader (`streaming-engine: native`) drains at {s['native_vs_pg_recvlogical']:.2f}x pg_recvlogical's "
                   f"speed (goal: at least 0.5x) and {s['native_vs_debezium']:.2f}x stock Debezium's."]
        md += [f"{r['reader']}: the slot's confirmed LSN passed the backlog's end after {r['slot_confirmed_seconds']:.2f} s (Debezium's reader moves it past "
               "the last commit with its next heartbeat, every 5 s; the native one at the server's next keepalive)." for r in s["readers"] if "slot_confirmed_seconds" in r]
        md += [""]
    elif s["scenario"] == "connect-sink":
        md += [f"Kafka Connect sink, one task: {s['changes']:,} Debezium change events of pgbench_accounts updates (PostgreSQL envelopes as the JSON converter "
               f"writes them with schemas, {s['json_bytes_per_change']:,} bytes each) put into one `LakeSinkTask` writing a local lake in batches of 500, until "
               "the last offset is durable (flush 100 ms); the Kafka fetch is not in it:", "",
               "| path | seconds | changes/s | task thread CPU s per 1,000 changes |", "|---|---|---|---|"]
        md += [f"| {r['what']} | {r['seconds']:.2f} | {r['changes_per_second']:,.0f} | {r['cpu_seconds_per_1000']:.4f} |" for r in s["runs"]]
        md.append("")
    elif s["scenario"] == "large-values":
        md += ["Rows with one large `bytea` value, `java -Xmx<heap> -jar dataflow.jar run` into a local lake: the full load (mode full-load) and CDC (an insert while streaming):", "",
               "| path | value | heap | passed | peak heap (DataFlow's summary) | peak RSS | error |", "|---|---|---|---|---|---|---|"]
        for r in s["runs"]:
            md.append(f"| {r['path']} | {r['value_mb']} MiB | {r['heap']} | {'yes' if r['ok'] else 'no'} | {r['peak_heap_mb']} MiB | {r['peak_rss_mb']} MiB | {r['error'][:120]} |")
        md.append("")
    elif s["scenario"] == "large-transaction":
        md += [f"One source transaction of {s['rows']:,} updates (`update bigtx set v = v + 1`), streamed by `dataflow run` (mode full-load-and-cdc, `-Xmx{s['heap']}`) while it runs: "
               "seconds from the commit until `/status` shows every change durable, DataFlow's peak heap and the process's peak RSS, then `dataflow validate`:", "",
               "| target | commit took, s | durable after commit, s | changes | changes/s | peak heap | peak RSS | validate |", "|---|---|---|---|---|---|---|---|"]
        for r in s["runs"]:
            md.append(f"| {r['target']} | {r['update_commit_s']} | {r['durable_after_commit_s']} | {r['changes_received']:,} | {r['changes_per_s']:,} | {r['peak_heap_mb']} MiB | {r['peak_rss_mb']} MiB | {r['validate']} |")
        md.append("")
    elif s["scenario"] == "assess-estimate":
        md += [f"`dataflow assess`'s full-load estimate (a {5} s measured read of the table, scaled to its size) next to the measured full load of the same table into a local lake, median of {s['repeats']}:", "",
               "| source | table | assess's estimate, s | measured full load, s (loader / whole process) | estimate / measured | assess took, s |", "|---|---|---|---|---|---|"]
        for e in s["engines"]:
            md.append(f"| {e['engine']} | {e['table']} | {e['estimate_s']['median']} | {e['full_load_s']['median']} / {e['process_s']['median']} | {e['estimate_over_full_load']} | {e['assess_s']['median']} |")
        md.append("")
    elif s["scenario"] == "fullload-postgres-raw-vs-raw-and-processed":
        md += [f"Full load of `{s['table']}` ({s['rows']:,} rows) into the raw zone only, and into the raw and processed (Iceberg) zones, median of {s['repeats']}:", "",
               "| targets | seconds (min / median) | rows/s |", "|---|---|---|",
               f"| raw zone | {s['raw_only_s']['min']} / {s['raw_only_s']['median']} | {s['raw_only_rows_per_s']:,} |",
               f"| raw + processed zones | {s['raw_and_processed_s']['min']} / {s['raw_and_processed_s']['median']} | {s['raw_and_processed_rows_per_s']:,} |", "",
               f"The processed zone costs the full load {s['processed_cost_ratio']}x ({s['processed_bytes']/1048576:.0f} MiB of Iceberg files beside {s['raw_bytes']/1048576:.0f} MiB of raw zone).", ""]
    elif s["scenario"] in ("validate-postgres-to-postgres", "validate-mariadb-to-postgres"):
        src = "PostgreSQL" if s["scenario"] == "validate-postgres-to-postgres" else "MariaDB"
        md += [f"Validation of `{s['table']}` ({s['rows']:,} rows), {src} source against a PostgreSQL database target loaded by DataFlow, median of {s['repeats']}:", "",
               "| run | seconds (min / median) | vs. reading both sides once |", "|---|---|---|",
               f"| one read of each side at once, into /dev/null ({'COPY ... TO STDOUT' if src == 'PostgreSQL' else 'the mariadb client and COPY'}) | {s['both_reads_s']['min']} / {s['both_reads_s']['median']} | 1 |",
               f"| `bin/dataflow validate`, tables equal | {s['validate_equal_s']['min']} / {s['validate_equal_s']['median']} | {s['equal_ratio_to_reads']} |",
               f"| `bin/dataflow validate`, 100 rows differ | {s['validate_100_differences_s']['min']} / {s['validate_100_differences_s']['median']} | {s['different_ratio_to_reads']} |", ""]
    elif s["scenario"] == "processed-merge-random-keys":
        md += [f"Processed-zone merge: {s['batch']:,} updates to random keys of a {s['rows']:,}-row Iceberg table per commit (position deletes found through key statistics):", "",
               "| load rows/s | commit seconds (min / median / max) | changes/s applied |", "|---|---|---|",
               f"| {s['load_rows_per_s']:,} | {s['commit_s']['min']} / {s['commit_s']['median']} / {max(s['commit_s']['all'])} | {s['changes_per_s']:,} |", ""]
    elif s["scenario"] == "processed-hour-of-changes-then-maintenance":
        b, a = s["before_maintenance"], s["after_maintenance"]
        md += [f"An hour's worth of changes ({s['commits']} commits of {s['batch']:,} random-key updates, as 100 tx/s with a 30 s commit interval) on a {s['rows']:,}-row table, then maintenance ({s['maintenance_s']} s):", "",
               "| | data files | position-delete files | full read seconds (median) |", "|---|---|---|---|",
               f"| before maintenance | {b['data_files']} | {b['position_delete_files']} | {b['full_read_s']['median']} |",
               f"| after maintenance | {a['data_files']} | {a['position_delete_files']} | {a['full_read_s']['median']} |", ""]
    elif s["scenario"] == "cdc-latency-postgres-to-processed-zone":
        md += [f"CDC latency into the processed zone, commit (client ack) on PostgreSQL to the row in a committed Iceberg snapshot, flush interval {s['flush_interval']}, commit interval {s['commit_interval']}, {s['seconds_per_rate']} s per rate (after {s.get('warmup_seconds', 0)} s of warm-up at the same rate):", "",
               "| tx/s target (achieved) | changes | p50 ms | p95 ms | p99 ms | max ms |", "|---|---|---|---|---|---|"]
        for r in s["rates"]:
            md.append(f"| {r['target_tx_per_s']} ({r['achieved_tx_per_s']}) | {r['seen_in_processed_zone']}/{r['changes']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} |")
        md.append("")
    elif s["scenario"].startswith("fullload"):
        md += [f"Full load of `{s['table']}` ({s['rows']:,} rows, {s['text_bytes']/1048576:.0f} MiB as text, {s['parquet_bytes']/1048576:.0f} MiB of Parquet), median of {s['repeats']}:", "",
               "| path | seconds (min / median) | rows/s | DataFlow's rows/s as a fraction of this |", "|---|---|---|---|",
               f"| `COPY ... TO STDOUT` via psql to /dev/null | {s['copy_s']['min']} / {s['copy_s']['median']} | {s['copy_rows_per_s']:,} | {s['ratio_to_copy']} |",
               f"| Debezium embedded snapshot, records discarded | {s['debezium_s']['min']} / {s['debezium_s']['median']} | {s['debezium_rows_per_s']:,} | {s['ratio_to_debezium']} |",
               f"| `bin/dataflow run` (mode full-load, whole process incl. JVM start) | {s['dataflow_s']['min']} / {s['dataflow_s']['median']} | {s['rows_per_s']:,} ({s['mb_per_s']} MB/s of COPY text) | 1 |"]
        if "java_jar_s" in s:
            md.append(f"| the same as `java -jar dataflow.jar run` (no launcher settings) | {s['java_jar_s']['min']} / {s['java_jar_s']['median']} | {s['java_jar_rows_per_s']:,} | {round(s['java_jar_s']['median'] / s['dataflow_s']['median'], 2)} |")
        md += ["",
               (f"The COPY loader itself (without JVM start and connection setup): {s['loader_s']['min']} / {s['loader_s']['median']} s, "
                f"{s['loader_rows_per_s']:,} rows/s." if 'loader_s' in s else ""),
               f"DataFlow peak RSS: {s['dataflow_peak_rss_mb']} MiB with -Xmx{s['dataflow_heap']}"
               + (f", peak heap {s['dataflow_peak_heap_mb']} MiB." if 'dataflow_peak_heap_mb' in s else "."), ""]
    elif s["scenario"] == "cdc-latency-postgres-to-postgres-database":
        md += [f"CDC latency into a database target, commit (client ack) on PostgreSQL to the row visible in another PostgreSQL database (jdbc target, mode cdc), flush interval {s['flush_interval']}, {s['seconds_per_rate']} s per rate (after {s.get('warmup_seconds', 0)} s of warm-up at the same rate):", "",
               "| tx/s target (achieved) | changes | p50 ms | p95 ms | p99 ms | max ms |", "|---|---|---|---|---|---|"]
        for r in s["rates"]:
            md.append(f"| {r['target_tx_per_s']} ({r['achieved_tx_per_s']}) | {r['seen_in_target']}/{r['changes']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} |")
        md.append("")
    else:
        md += [f"CDC latency, commit (client ack) to the row's Parquet file visible in the raw zone, flush interval {s['flush_interval']}, {s['seconds_per_rate']} s per rate (after {s.get('warmup_seconds', 0)} s of warm-up at the same rate):", "",
               "| tx/s target (achieved) | changes | p50 ms | p95 ms | p99 ms | max ms |", "|---|---|---|---|---|---|"]
        for r in s["rates"]:
            md.append(f"| {r['target_tx_per_s']} ({r['achieved_tx_per_s']}) | {r['seen_in_lake']}/{r['changes']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} |")
        md.append("")
open(f"{out}/{stamp}.md","w").write("\n".join(md))
print("\n".join(md))
PY
# The pipelines' replication slots would keep WAL forever: drop them.
$PSQL -d postgres -c "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name like 'dataflow_bench%' and not active" >/dev/null || true
echo "bench: wrote $OUT/$STAMP.json and $OUT/$STAMP.md"
