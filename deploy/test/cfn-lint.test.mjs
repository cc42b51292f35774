// Lints every CloudFormation template with cfn-lint; findings are failures unless suppressions.json lists them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { templates } from './templates.mjs';

const require = createRequire(import.meta.url);
const cfnLint = require('cfn-lint/lib/api');
const { suppressions } = JSON.parse(readFileSync(new URL('./suppressions.json', import.meta.url)));

for (const t of templates) {
  test(`cfn-lint ${t.name}`, () => {
    const result = cfnLint.validateFile(t.path, { guessParameters: undefined });
    const findings = [...result.errors.crit, ...result.errors.warn].filter((e) => !suppressions.some(
      (s) => s.template === t.name && new RegExp(s.path.replaceAll(' > ', ' > ').replace(/[.*+?^${}[\]\\]/g, (m) => (m === '(' || m === ')' || m === '|') ? m : '\\' + m)).test(e.resource)));
    assert.deepEqual(findings.map((e) => `${e.resource}: ${e.message}`), []);
  });
}
