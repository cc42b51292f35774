// CloudFormation (deploy/cloudformation/dms-tasks.yaml) and Terraform (deploy/terraform/dms) deploy the same native DMS
// infrastructure: the same resources by kind (the account-wide roles optional in both), the same IAM actions, the same
// endpoint settings, parameters mirroring variables with the same defaults, the same outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { template, terraform } from './templates.mjs';

const cfn = template('dms-tasks.yaml');
const tf = await terraform('terraform/dms/');
const resources = tf['main.tf'].resource;

const KINDS = {
  'AWS::IAM::Role': 'aws_iam_role',
  'AWS::DMS::ReplicationSubnetGroup': 'aws_dms_replication_subnet_group',
  'AWS::EC2::SecurityGroup': 'aws_security_group',
  'AWS::DMS::ReplicationInstance': 'aws_dms_replication_instance',
  'AWS::DMS::Endpoint': 'aws_dms_endpoint',
  'AWS::DMS::ReplicationTask': 'aws_dms_replication_task',
};
// Terraform keeps the S3 access role's inline policies as resources of their own.
const SPLIT_OUT = { aws_iam_role_policy: 'IAM Role Policies' };
const snake = (s) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
const cfnResources = Object.entries(cfn.Resources);

test('the same resources by kind', () => {
  for (const [cfnType, tfType] of Object.entries(KINDS)) {
    const n = cfnResources.filter(([, r]) => r.Type === cfnType).length;
    assert.equal(Object.keys(resources[tfType] ?? {}).length, n, `${cfnType} vs ${tfType}`);
  }
  for (const type of Object.keys(resources)) {
    assert.ok(Object.values(KINDS).includes(type) || type in SPLIT_OUT, `Terraform resource type ${type} has no CloudFormation counterpart`);
  }
  for (const [, r] of cfnResources) assert.ok(r.Type in KINDS, `CloudFormation type ${r.Type} has no Terraform counterpart`);
  const policies = cfn.Resources.S3AccessRole.Properties.Policies.map((p) => p.PolicyName).sort();
  assert.deepEqual(Object.values(resources.aws_iam_role_policy).map((p) => p[0].name).sort(), policies);
});

test('the account-wide roles are optional in both', () => {
  assert.equal(cfn.Resources.DmsVpcRole.Condition, 'MakeVpcRole');
  assert.equal(cfn.Resources.DmsCloudWatchLogsRole.Condition, 'MakeLogsRole');
  assert.match(resources.aws_iam_role.dms_vpc[0].count, /var\.create_dms_vpc_role == "true"/);
  assert.match(resources.aws_iam_role.dms_cloudwatch_logs[0].count, /var\.create_dms_cloud_watch_logs_role == "true"/);
  assert.equal(resources.aws_iam_role.dms_vpc[0].name, cfn.Resources.DmsVpcRole.Properties.RoleName);
  assert.equal(resources.aws_iam_role.dms_cloudwatch_logs[0].name, cfn.Resources.DmsCloudWatchLogsRole.Properties.RoleName);
});

test('the same IAM actions for the S3 access role', () => {
  const cfnActions = new Set(cfn.Resources.S3AccessRole.Properties.Policies
    .flatMap((p) => p.PolicyDocument.Statement.flatMap((s) => [].concat(s.Action))));
  const tfActions = new Set(Object.values(resources.aws_iam_role_policy)
    .flatMap((p) => [...p[0].policy.matchAll(/"([a-z0-9-]+:[A-Z][A-Za-z*]*)"/g)].map((m) => m[1])));
  assert.deepEqual([...tfActions].sort(), [...cfnActions].sort());
});

test('the same instance, endpoints and task settings', () => {
  const inst = cfn.Resources.ReplicationInstance.Properties;
  const tfInst = resources.aws_dms_replication_instance.dms[0];
  assert.equal(tfInst.allocated_storage, inst.AllocatedStorage);
  assert.equal(tfInst.publicly_accessible, inst.PubliclyAccessible);
  const source = cfn.Resources.SourceEndpoint.Properties;
  assert.equal(resources.aws_dms_endpoint.source[0].ssl_mode, source.SslMode);
  assert.equal(resources.aws_dms_endpoint.source[0].endpoint_type, source.EndpointType);
  const target = cfn.Resources.TargetEndpoint.Properties;
  const tfTarget = resources.aws_dms_endpoint.target[0];
  assert.equal(tfTarget.engine_name, target.EngineName);
  assert.equal(tfTarget.s3_settings[0].compression_type, target.S3Settings.CompressionType);
  const attributes = (s) => s.replace(/serverSideEncryptionKmsKeyId=.*$/, '');
  assert.equal(attributes(tfTarget.extra_connection_attributes), attributes(target.ExtraConnectionAttributes['Fn::Sub'][0]));
  const task = cfn.Resources.ReplicationTask.Properties;
  const tfTask = resources.aws_dms_replication_task.dms[0];
  assert.equal(tfTask.migration_type, task.MigrationType);
  assert.deepEqual(JSON.parse(tfTask.replication_task_settings), JSON.parse(task.ReplicationTaskSettings));
});

test('parameters mirror variables with the same defaults', () => {
  const vars = tf['variables.tf'].variable;
  // the stack name gives CloudFormation the DataFlow stack's exports; Terraform takes them as variables
  const fromStack = new Set(['lake_bucket_name', 'lake_bucket_arn', 'kms_key_arn']);
  for (const [name, p] of Object.entries(cfn.Parameters)) {
    if (name === 'DataFlowStackName') continue;
    const v = vars[snake(name)];
    assert.ok(v, `CloudFormation parameter ${name} has no Terraform variable ${snake(name)}`);
    if (p.Default !== undefined) assert.equal(String(v[0].default), String(p.Default), `default of ${name}`);
  }
  for (const name of Object.keys(vars)) {
    assert.ok(name === 'region' || fromStack.has(name) || Object.keys(cfn.Parameters).some((p) => snake(p) === name),
      `variable ${name} has no parameter`);
  }
  const text = ['main.tf', 'outputs.tf'].map((f) => readFileSync(new URL(`../terraform/dms/${f}`, import.meta.url), 'utf8')).join('\n');
  const used = new Set([...text.matchAll(/var\.([a-z0-9_]+)/g)].map((m) => m[1]));
  for (const u of used) assert.ok(vars[u], `var.${u} is used but not declared`);
  for (const d of Object.keys(vars)) assert.ok(used.has(d), `variable ${d} is declared but never used`);
});

test('outputs mirror the stack outputs and resolve', () => {
  const outputs = tf['outputs.tf'].output;
  assert.deepEqual(Object.keys(outputs).sort(), Object.keys(cfn.Outputs).map(snake).sort());
  for (const [name, o] of Object.entries(outputs)) {
    const refs = [...o[0].value.matchAll(/(aws_[a-z0-9_]+)\.([a-z0-9_]+)/g)];
    assert.ok(refs.length > 0, `output ${name} references no resource`);
    for (const [, type, res] of refs) assert.ok(resources[type]?.[res], `output ${name} references missing ${type}.${res}`);
  }
});
