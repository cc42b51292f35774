#!/usr/bin/env bash
# Regenerates config/pipeline-reference.md from the key declarations (DocsTest checks it is current).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f cli/target/dataflow.jar ] || mvn -B -q package -DskipTests
{
  echo "# Pipeline file reference"
  echo
  echo "Generated from the key declarations in \`PipelineConfigReader\` by \`java -jar dataflow.jar config-reference\`;"
  echo "a test keeps this file equal to that output. Every string value may use \`\${env:NAME}\` and \`\${file:PATH}\` (relative to the pipeline file)."
  echo
  java -jar cli/target/dataflow.jar config-reference
} > config/pipeline-reference.md
