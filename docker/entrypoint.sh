#!/bin/sh
# Runs dataflow through its launcher (bin/dataflow: JVM settings, class-data archive). When DATAFLOW_PIPELINE holds a pipeline file's text (ECS passes it this way), it is written
# to /tmp/pipeline.yaml and used as --config.
set -eu
if [ -n "${DATAFLOW_PIPELINE:-}" ]; then
  printf '%s\n' "$DATAFLOW_PIPELINE" > /tmp/pipeline.yaml
  exec /opt/dataflow/bin/dataflow run --config /tmp/pipeline.yaml "$@"
fi
exec /opt/dataflow/bin/dataflow "$@"
