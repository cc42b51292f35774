#!/usr/bin/env bash
# Regenerates config/pipeline-reference.md (from the key declarations) and config/type-conversion.md (from the
# mapping files); DocsTest checks both are current.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f cli/target/dataflow.jar ] || mvn -B -q package -DskipTests
{
  echo "# Pipeline file reference"
  echo
  echo "Generated from the key declarations (\`PipelineConfigReader\` and each target module's \`TargetKeys\`) by \`java -jar dataflow.jar config-reference\`;"
  echo "a test keeps this file equal to that output. Every string value may use \`\${env:NAME}\` and \`\${file:PATH}\` (relative to the pipeline file)."
  echo
  java -jar cli/target/dataflow.jar config-reference
} > config/pipeline-reference.md
{
  echo "# Type conversion between database engines"
  echo
  echo "Generated from the mapping files in \`sinks/jdbc/src/main/resources/io/dataflow/convert/mappings/\` by"
  echo "\`java -jar dataflow.jar config-reference --type-mappings\`; a test keeps this file equal to that output."
  echo
  echo "\`dataflow convert\` and \`type: jdbc\` targets pick a column's target type with the first rule of its direction whose"
  echo "source type and condition match. Conditions: \`unsigned\`, \`signed\`, \`auto-increment\`, \`length=N\`, \`length<=N\`,"
  echo "\`length>N\`, \`length=max\` (unbounded), \`precision<=N\`, \`precision>N\`, \`no-precision\`, \`scale=0\`, \`scale>0\`, \`fsp>N\`."
  echo "Targets use \`{length}\`, \`{precision}\`, \`{scale}\`, \`{fsp}\` (at most 6) and \`{type}\` (the declared type)."
  echo "A pipeline overrides one column with \`transform: [{change-type: {table: schema.table, column: name, to: type}}]\`."
  echo
  echo "Fidelity: **exact** (every value round-trips), **widened** (a larger type; every value fits), **lossy** (the"
  echo "*why* column says what changes). Values a target cannot hold are written as NULL and counted per column in the"
  echo "\`run\` summary: zero dates, MySQL durations outside PostgreSQL's time of day, dates outside MariaDB's years"
  echo "1000..9999 (BC, infinity), NaN and infinities into MariaDB. Oracle and SQL Server have mapping tables (unit-tested)"
  echo "but no source connector is verified here: no server of either can run on DataFlow's CI machine."
  echo
  java -jar cli/target/dataflow.jar config-reference --type-mappings
} > config/type-conversion.md
