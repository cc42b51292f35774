// Least privilege: no wildcard actions and no "*" resources in IAM policies, except where AWS requires it
// (listed below with the reason). Checks every CloudFormation template and the Terraform files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { templates } from './templates.mjs';

// Actions that AWS only accepts with Resource "*".
const STAR_RESOURCE_ALLOWED = {
  'ecr:GetAuthorizationToken': 'ECR issues registry tokens account-wide; it has no resource-level permissions',
  'cloudwatch:PutMetricData': 'CloudWatch metrics have no ARNs; the statement is limited by the cloudwatch:namespace condition',
};

function* statements(node, path = []) {
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) yield* statements(v, [...path, i]);
  } else if (node && typeof node === 'object') {
    if (node.Effect && node.Action) yield { s: node, path: path.join('.') };
    for (const [k, v] of Object.entries(node)) yield* statements(v, [...path, k]);
  }
}

const isKeyPolicy = (path) => path.includes('KeyPolicy');
const isBucketPolicy = (path) => path.includes('PolicyDocument') && path.includes('BucketPolicy');

for (const t of templates) {
  test(`IAM least privilege in ${t.name}`, () => {
    for (const [name, r] of Object.entries(t.doc.Resources)) {
      for (const { s, path } of statements(r.Properties ?? {})) {
        const where = `${t.name} ${name} ${path}`;
        const actions = [].concat(s.Action);
        const resourcesOf = [].concat(s.Resource ?? []);
        if (s.Effect === 'Deny') continue; // deny statements (TLS-only bucket policies) may be broad
        if (r.Type === 'AWS::KMS::Key') {
          // In a key policy "*" means "this key". Only the account root may administer it.
          for (const a of actions) if (a === 'kms:*') assert.match(JSON.stringify(s.Principal), /:root/, `${where}: kms:* only for the account root`);
          continue;
        }
        for (const a of actions) {
          assert.ok(!a.endsWith(':*') && a !== '*', `${where}: wildcard action ${a}`);
        }
        if (resourcesOf.includes('*')) {
          for (const a of actions) assert.ok(a in STAR_RESOURCE_ALLOWED, `${where}: ${a} on Resource "*"`);
        }
      }
    }
    assert.ok(!isKeyPolicy('') && !isBucketPolicy(''));
  });
}

test('IAM least privilege in Terraform', () => {
  const text = readFileSync(new URL('../terraform/main.tf', import.meta.url), 'utf8');
  // Each policy statement is an HCL object; look at each one that grants something.
  const blocks = text.split(/\n\s*\{|\{ Sid|\{ Effect/).slice(1);
  let checked = 0;
  for (const block of text.matchAll(/Effect\s*=\s*"Allow"[\s\S]*?(?=\n\s*\}|\s\}\s*,?\n|\}\s*\])/g)) {
    const b = block[0];
    const actions = [...b.matchAll(/"([a-z0-9-]+:[A-Z][A-Za-z*]*|[a-z0-9-]+:\*|\*)"/g)].map((m) => m[1]).filter((a) => a !== '*');
    if (/Principal\s*=\s*\{\s*AWS\s*=.*:root/.test(b)) continue; // the key policy's account administrator
    for (const a of actions) assert.ok(!a.endsWith(':*'), `Terraform: wildcard action ${a} in ${b.slice(0, 120)}`);
    if (/Resource\s*=\s*"\*"/.test(b) && !/Service\s*=\s*"logs\./.test(b)) {
      for (const a of actions) assert.ok(a in STAR_RESOURCE_ALLOWED, `Terraform: ${a} on Resource "*"`);
    }
    checked++;
  }
  assert.ok(checked >= 10, `only ${checked} statements found; the parser no longer matches main.tf`);
  assert.ok(blocks.length > 0);
});
