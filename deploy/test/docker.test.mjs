// The obvious checks of the container files (no Docker engine runs here, so the image is not built in CI):
// pinned base images, a non-root user, a health check on /health; compose and Kubernetes alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { repoRoot } from './templates.mjs';

const read = (p) => readFileSync(repoRoot + p, 'utf8');
const pinned = (image) => /:[^:]*\d/.test(image) && !/:latest$/.test(image);

test('Dockerfile: pinned bases, multi-stage, non-root, health check', () => {
  const lines = read('docker/Dockerfile').split('\n');
  const froms = lines.filter((l) => l.startsWith('FROM ')).map((l) => l.split(/\s+/)[1]);
  assert.ok(froms.length >= 2, 'multi-stage build');
  for (const f of froms) assert.ok(pinned(f), `base image ${f} is pinned to a version`);
  const finalStage = lines.slice(lines.map((l) => l.startsWith('FROM ')).lastIndexOf(true));
  const user = finalStage.filter((l) => l.startsWith('USER ')).pop();
  assert.ok(user, 'the runtime stage sets USER');
  assert.doesNotMatch(user, /USER\s+(root|0)(:|$)/, 'the runtime user is not root');
  assert.ok(finalStage.some((l) => l.startsWith('HEALTHCHECK')) && finalStage.join('\n').includes('/health'), 'HEALTHCHECK on /health');
  assert.ok(/FROM eclipse-temurin:17[^ ]*-jre/.test(finalStage[0]), 'runs on a JRE 17');
});

test('compose: pinned images, DataFlow with a health check and a non-root user, CDC settings', () => {
  const compose = yaml.load(read('docker/compose.yaml'));
  for (const [name, s] of Object.entries(compose.services)) {
    if (s.image) assert.ok(pinned(s.image), `${name}: image ${s.image} is pinned`);
  }
  const df = compose.services.dataflow;
  assert.ok(df.healthcheck.test.join(' ').includes('/health'));
  assert.notEqual(String(df.user).split(':')[0], '0');
  assert.ok(compose.services.postgres.command.includes('wal_level=logical'));
  assert.ok(compose.services.mariadb.command.includes('--binlog-format=ROW'));
  assert.ok(compose.services.minio);
  const pipeline = read('docker/pipeline.yaml');
  assert.match(pipeline, /uri: s3:\/\/lake\//);
});

test('Kubernetes: one replica, Recreate, non-root, probes on /health, a named metrics port', () => {
  const d = yaml.load(read('deploy/kubernetes/deployment.yaml'));
  assert.equal(d.spec.replicas, 1);
  assert.equal(d.spec.strategy.type, 'Recreate');
  const pod = d.spec.template.spec;
  assert.equal(pod.securityContext.runAsNonRoot, true);
  const c = pod.containers[0];
  assert.equal(c.readinessProbe.httpGet.path, '/health');
  assert.equal(c.livenessProbe.httpGet.path, '/health');
  assert.ok(c.ports.some((p) => p.name === 'metrics'));
  assert.ok(c.env.some((e) => e.valueFrom?.secretKeyRef), 'the source password comes from a Secret');
  const svc = yaml.load(read('deploy/kubernetes/service.yaml'));
  assert.ok(svc.spec.ports.some((p) => p.name === 'metrics'));
  const cm = yaml.load(read('deploy/kubernetes/configmap.yaml'));
  assert.match(cm.data['pipeline.yaml'], /password: \$\{env:SOURCE_PASSWORD\}/);
});
