// Loads the CloudFormation templates (YAML with short-form intrinsics) and the Terraform files as JSON.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = fileURLToPath(new URL('../', import.meta.url));
const cfnDir = `${root}cloudformation/`;

const tags = [
  ['Ref', 'scalar'], ['Sub', 'scalar'], ['Sub', 'sequence'], ['GetAtt', 'scalar'], ['GetAtt', 'sequence'],
  ['If', 'sequence'], ['Equals', 'sequence'], ['Not', 'sequence'], ['And', 'sequence'], ['Or', 'sequence'],
  ['Join', 'sequence'], ['Select', 'sequence'], ['Split', 'sequence'], ['FindInMap', 'sequence'],
  ['ImportValue', 'scalar'], ['ImportValue', 'mapping'], ['Condition', 'scalar'], ['GetAZs', 'scalar'], ['Base64', 'scalar'],
].map(([name, kind]) => new yaml.Type(`!${name}`, {
  kind,
  construct: (data) => {
    if (name === 'Ref') return { Ref: data };
    if (name === 'Condition') return { Condition: data };
    if (name === 'GetAtt' && typeof data === 'string') return { 'Fn::GetAtt': data.split('.') };
    return { [`Fn::${name}`]: data };
  },
}));
export const CFN_SCHEMA = yaml.DEFAULT_SCHEMA.extend(tags);

export const templates = readdirSync(cfnDir)
  .filter((f) => f.endsWith('.yaml') && f !== 'parameters.yaml')
  .map((name) => ({ name, path: cfnDir + name, doc: yaml.load(readFileSync(cfnDir + name, 'utf8'), { schema: CFN_SCHEMA }) }));

export const parameterSets = yaml.load(readFileSync(`${cfnDir}parameters.yaml`, 'utf8'));

export function template(name) {
  return templates.find((t) => t.name === name).doc;
}

export async function terraform(folder = 'terraform/') {
  const { parse } = await import('@cdktf/hcl2json');
  const dir = `${root}${folder}`;
  const out = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.tf'))) {
    out[f] = await parse(f, readFileSync(dir + f, 'utf8'));
  }
  return out;
}

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
