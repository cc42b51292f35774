// CloudFormation (deploy/cloudformation/dataflow-stack.yaml) and Terraform (deploy/terraform) deploy the same
// infrastructure: same resources by kind, same encryption, versioning, lifecycle days, retention, IAM actions;
// parameters mirror variables; every variable used is declared; every output resolves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { template, terraform } from './templates.mjs';

const cfn = template('dataflow-stack.yaml');
const tf = await terraform();
const main = tf['main.tf'];
const resources = main.resource;

// CloudFormation type -> the Terraform resource type that holds it.
const KINDS = {
  'AWS::KMS::Key': 'aws_kms_key',
  'AWS::KMS::Alias': 'aws_kms_alias',
  'AWS::S3::Bucket': 'aws_s3_bucket',
  'AWS::S3::BucketPolicy': 'aws_s3_bucket_policy',
  'AWS::IAM::Role': 'aws_iam_role',
  'AWS::Logs::LogGroup': 'aws_cloudwatch_log_group',
  'AWS::SecretsManager::Secret': 'aws_secretsmanager_secret',
  'AWS::ECS::Cluster': 'aws_ecs_cluster',
  'AWS::EC2::SecurityGroup': 'aws_security_group',
  'AWS::ECS::TaskDefinition': 'aws_ecs_task_definition',
  'AWS::ECS::Service': 'aws_ecs_service',
  'AWS::CloudWatch::Dashboard': 'aws_cloudwatch_dashboard',
  'AWS::CloudWatch::Alarm': 'aws_cloudwatch_metric_alarm',
  'AWS::Glue::Database': 'aws_glue_catalog_database',
};
// Terraform resources that carry what CloudFormation keeps as properties of the resources above.
const SPLIT_OUT = {
  aws_s3_bucket_versioning: 'S3 VersioningConfiguration',
  aws_s3_bucket_server_side_encryption_configuration: 'S3 BucketEncryption',
  aws_s3_bucket_public_access_block: 'S3 PublicAccessBlockConfiguration',
  aws_s3_bucket_lifecycle_configuration: 'S3 LifecycleConfiguration',
  aws_s3_bucket_replication_configuration: 'S3 ReplicationConfiguration',
  aws_iam_role_policy: 'IAM Role Policies',
  aws_secretsmanager_secret_version: 'Secret GenerateSecretString',
  random_password: 'Secret GenerateSecretString',
};

const cfnResources = Object.entries(cfn.Resources);
const count = (pred) => cfnResources.filter(([, r]) => pred(r)).length;
const tfCount = (type) => Object.keys(resources[type] ?? {}).length;
const snake = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();

test('the same resources by kind', () => {
  for (const [cfnType, tfType] of Object.entries(KINDS)) {
    assert.equal(tfCount(tfType), count((r) => r.Type === cfnType), `${cfnType} vs ${tfType}`);
  }
  for (const type of Object.keys(resources)) {
    assert.ok(Object.values(KINDS).includes(type) || type in SPLIT_OUT, `Terraform resource type ${type} has no CloudFormation counterpart`);
  }
  for (const [, r] of cfnResources) {
    assert.ok(r.Type in KINDS, `CloudFormation type ${r.Type} has no Terraform counterpart`);
  }
  const buckets = cfnResources.filter(([, r]) => r.Type === 'AWS::S3::Bucket').map(([, r]) => r.Properties);
  assert.equal(tfCount('aws_s3_bucket_versioning'), buckets.filter((b) => b.VersioningConfiguration).length);
  assert.equal(tfCount('aws_s3_bucket_server_side_encryption_configuration'), buckets.filter((b) => b.BucketEncryption).length);
  assert.equal(tfCount('aws_s3_bucket_public_access_block'), buckets.filter((b) => b.PublicAccessBlockConfiguration).length);
  assert.equal(tfCount('aws_s3_bucket_lifecycle_configuration'), buckets.filter((b) => b.LifecycleConfiguration).length);
});

test('the same encryption, versioning and public access settings', () => {
  const lake = cfn.Resources.LakeBucket.Properties;
  assert.equal(lake.VersioningConfiguration.Status, 'Enabled');
  assert.equal(resources.aws_s3_bucket_versioning.lake[0].versioning_configuration[0].status, 'Enabled');
  for (const [cfnName, tfName] of [['LakeBucket', 'lake'], ['StagingBucket', 'staging']]) {
    const rule = cfn.Resources[cfnName].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0];
    const tfRule = resources.aws_s3_bucket_server_side_encryption_configuration[tfName][0].rule[0];
    assert.equal(rule.ServerSideEncryptionByDefault.SSEAlgorithm, 'aws:kms');
    assert.equal(tfRule.apply_server_side_encryption_by_default[0].sse_algorithm, 'aws:kms');
    assert.deepEqual(rule.ServerSideEncryptionByDefault.KMSMasterKeyID, { 'Fn::GetAtt': ['LakeKey', 'Arn'] });
    assert.equal(tfRule.apply_server_side_encryption_by_default[0].kms_master_key_id, '${aws_kms_key.lake.arn}');
    assert.equal(rule.BucketKeyEnabled, tfRule.bucket_key_enabled);
    const pab = cfn.Resources[cfnName].Properties.PublicAccessBlockConfiguration;
    const tfPab = resources.aws_s3_bucket_public_access_block[tfName][0];
    assert.deepEqual([pab.BlockPublicAcls, pab.BlockPublicPolicy, pab.IgnorePublicAcls, pab.RestrictPublicBuckets], [true, true, true, true]);
    assert.deepEqual([tfPab.block_public_acls, tfPab.block_public_policy, tfPab.ignore_public_acls, tfPab.restrict_public_buckets], [true, true, true, true]);
  }
  assert.equal(cfn.Resources.LakeKey.Properties.EnableKeyRotation, true);
  assert.equal(resources.aws_kms_key.lake[0].enable_key_rotation, true);
  assert.deepEqual(cfn.Resources.LogGroup.Properties.KmsKeyId, { 'Fn::GetAtt': ['LakeKey', 'Arn'] });
  assert.equal(resources.aws_cloudwatch_log_group.dataflow[0].kms_key_id, '${aws_kms_key.lake.arn}');
});

test('the same lifecycle days and log retention', () => {
  const vars = Object.fromEntries(Object.entries(tf['variables.tf'].variable).map(([k, v]) => [k, v[0]]));
  const param = (name) => cfn.Parameters[name].Default;
  const rules = Object.fromEntries(cfn.Resources.LakeBucket.Properties.LifecycleConfiguration.Rules.map((r) => [r.Id, r]));
  const tfRules = Object.fromEntries(resources.aws_s3_bucket_lifecycle_configuration.lake[0].rule.map((r) => [r.id, r]));
  assert.deepEqual(Object.keys(rules).sort(), Object.keys(tfRules).sort());
  assert.deepEqual(rules['raw-zone-to-glacier'].Transitions[0].TransitionInDays, { Ref: 'RawZoneGlacierDays' });
  assert.equal(tfRules['raw-zone-to-glacier'].transition[0].days, '${var.raw_zone_glacier_days}');
  assert.equal(rules['raw-zone-to-glacier'].Prefix, tfRules['raw-zone-to-glacier'].filter[0].prefix);
  assert.equal(rules['raw-zone-to-glacier'].Transitions[0].StorageClass, tfRules['raw-zone-to-glacier'].transition[0].storage_class);
  assert.deepEqual(rules['expire-noncurrent-versions'].NoncurrentVersionExpirationInDays, { Ref: 'NoncurrentVersionDays' });
  assert.equal(tfRules['expire-noncurrent-versions'].noncurrent_version_expiration[0].noncurrent_days, '${var.noncurrent_version_days}');
  assert.equal(rules['abort-incomplete-uploads'].AbortIncompleteMultipartUpload.DaysAfterInitiation,
    tfRules['abort-incomplete-uploads'].abort_incomplete_multipart_upload[0].days_after_initiation);
  const staging = cfn.Resources.StagingBucket.Properties.LifecycleConfiguration.Rules[0];
  assert.deepEqual(staging.ExpirationInDays, { Ref: 'StagingExpirationDays' });
  assert.equal(resources.aws_s3_bucket_lifecycle_configuration.staging[0].rule[0].expiration[0].days, '${var.staging_expiration_days}');
  assert.deepEqual(cfn.Resources.LogGroup.Properties.RetentionInDays, { Ref: 'LogRetentionDays' });
  assert.equal(resources.aws_cloudwatch_log_group.dataflow[0].retention_in_days, '${var.log_retention_days}');
  for (const name of ['RawZoneGlacierDays', 'NoncurrentVersionDays', 'StagingExpirationDays', 'LogRetentionDays']) {
    assert.equal(Number(vars[snake(name)].default), Number(param(name)), `default of ${name}`);
  }
});

const ACTION = /"([a-z0-9-]+:[A-Z][A-Za-z*]*)"/g; // actions, not condition keys (lower-case after the colon)
const cfnActions = (role) => new Set(role.Properties.Policies.flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => [].concat(s.Action))));
const tfActions = (policy) => new Set([...policy.policy.matchAll(ACTION)].map((m) => m[1]));

test('the same IAM actions per role', () => {
  const policies = resources.aws_iam_role_policy;
  assert.deepEqual([...tfActions(policies.task[0])].sort(), [...cfnActions(cfn.Resources.TaskRole)].sort());
  assert.deepEqual([...tfActions(policies.execution[0])].sort(), [...cfnActions(cfn.Resources.ExecutionRole)].sort());
  assert.deepEqual([...tfActions(policies.replication[0])].sort(), [...cfnActions(cfn.Resources.ReplicationRole)].sort());
});

test('parameters mirror variables with the same defaults', () => {
  const vars = tf['variables.tf'].variable;
  const extra = new Set(['region']);
  for (const [name, p] of Object.entries(cfn.Parameters)) {
    const v = vars[snake(name)];
    assert.ok(v, `CloudFormation parameter ${name} has no Terraform variable ${snake(name)}`);
    if (p.Default !== undefined) {
      const d = v[0].default;
      assert.equal(String(d), String(p.Default), `default of ${name}`);
    }
  }
  for (const name of Object.keys(vars)) {
    assert.ok(extra.has(name) || Object.keys(cfn.Parameters).some((p) => snake(p) === name), `variable ${name} has no parameter`);
  }
});

test('every variable used is declared and every declared one is used', async () => {
  const { readFileSync } = await import('node:fs');
  const text = ['main.tf', 'outputs.tf'].map((f) => readFileSync(new URL(`../terraform/${f}`, import.meta.url), 'utf8')).join('\n');
  const used = new Set([...text.matchAll(/var\.([a-z0-9_]+)/g)].map((m) => m[1]));
  const declared = new Set(Object.keys(tf['variables.tf'].variable));
  for (const u of used) assert.ok(declared.has(u), `var.${u} is used but not declared`);
  for (const d of declared) assert.ok(used.has(d), `variable ${d} is declared but never used`);
});

test('outputs mirror exports and every output resolves', () => {
  const outputs = tf['outputs.tf'].output;
  assert.deepEqual(Object.keys(outputs).sort(), Object.keys(cfn.Outputs).map(snake).sort());
  for (const [name, o] of Object.entries(outputs)) {
    const refs = [...o[0].value.matchAll(/(aws_[a-z0-9_]+)\.([a-z0-9_]+)/g)];
    assert.ok(refs.length > 0, `output ${name} references no resource`);
    for (const [, type, res] of refs) assert.ok(resources[type]?.[res], `output ${name} references missing ${type}.${res}`);
  }
  for (const [name, o] of Object.entries(cfn.Outputs)) {
    const ref = o.Value.Ref ?? o.Value['Fn::GetAtt']?.[0];
    assert.ok(cfn.Resources[ref], `CloudFormation output ${name} references missing ${ref}`);
  }
});
