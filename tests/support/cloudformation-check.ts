/**
 * Checking a generated CloudFormation template without AWS: against the AWS::Connect resource
 * provider schemas vendored in tests/cli/fixtures/cloudformation-schemas (see its README), with
 * ajv, after resolving every intrinsic function with given values; and structurally (every Ref and
 * GetAtt names a parameter or resource, every GetAtt attribute is a read-only property of the
 * resource's schema, no dependency cycle). `cfn-lint` is run as well when it is installed.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv, type ValidateFunction } from 'ajv';

const SCHEMAS = join(import.meta.dirname, '..', 'cli', 'fixtures', 'cloudformation-schemas');
const PSEUDO = new Set([
  'AWS::Region',
  'AWS::AccountId',
  'AWS::Partition',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

interface ProviderSchema {
  typeName: string;
  readOnlyProperties?: string[];
  writeOnlyProperties?: string[];
  properties: Record<string, unknown>;
}

/** A template as the tests read it. */
export interface Template {
  Description?: string;
  Metadata?: Record<string, unknown>;
  Parameters: Record<string, { Type: string; Description?: string; AllowedPattern?: string }>;
  Resources: Record<
    string,
    {
      Type: string;
      DependsOn?: string[];
      Metadata?: Record<string, unknown>;
      Properties: Record<string, unknown>;
    }
  >;
}

let compiled: Map<string, { schema: ProviderSchema; validate: ValidateFunction }> | undefined;

/** The vendored schemas, by type name, each compiled once. */
export function connectSchemas(): Map<string, { schema: ProviderSchema; validate: ValidateFunction }> {
  if (compiled) return compiled;
  // Resource provider schemas are draft-07 with keywords of their own (readOnlyProperties,
  // insertionOrder, tagging, …): strict mode off, so ajv ignores what is not JSON Schema.
  // Their patterns are ECMA-262 with Unicode classes (\P{C}) and, in places, identity escapes
  // (\_) that the u flag refuses: each pattern is compiled with u, else without.
  const regExp = Object.assign(
    (pattern: string, flags: string) => {
      try {
        return new RegExp(pattern, flags);
      } catch {
        return new RegExp(pattern, flags.replace('u', ''));
      }
    },
    { code: 'new RegExp' },
  );
  const ajv = new Ajv({ strict: false, allErrors: true, code: { regExp } });
  compiled = new Map();
  for (const file of readdirSync(SCHEMAS).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as ProviderSchema;
    compiled.set(schema.typeName, { schema, validate: ajv.compile(schema) });
  }
  return compiled;
}

const attributesOf = (schema: ProviderSchema) =>
  (schema.readOnlyProperties ?? []).map((p) => p.replace(/^\/properties\//, ''));

/** `${Name}` and `${Name.Attr}` variables of a Fn::Sub string (not `${!literal}`). */
function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => m[1] as string);
}

/**
 * Structural problems: a Ref, GetAtt, Sub variable or DependsOn that names nothing in the
 * template, a GetAtt attribute that is not a read-only property, a read-only or write-only
 * property set where it must not be, a resource type without a vendored schema, a dependency
 * cycle. Empty when there are none.
 */
export function structuralProblems(template: Template): string[] {
  const schemas = connectSchemas();
  const problems: string[] = [];
  const edges = new Map<string, Set<string>>();
  const dependsOn = (from: string, to: string) => {
    const set = edges.get(from) ?? new Set<string>();
    set.add(to);
    edges.set(from, set);
  };
  const refTarget = (from: string, name: string, at: string) => {
    if (Object.hasOwn(template.Parameters, name) || PSEUDO.has(name)) return;
    if (Object.hasOwn(template.Resources, name)) dependsOn(from, name);
    else problems.push(`${from} ${at}: Ref ${name} names no parameter or resource`);
  };
  const getAtt = (from: string, logical: string, attribute: string, at: string) => {
    const resource = template.Resources[logical];
    if (!resource) {
      problems.push(`${from} ${at}: GetAtt ${logical}.${attribute} names no resource`);
      return;
    }
    dependsOn(from, logical);
    const schema = schemas.get(resource.Type)?.schema;
    if (!schema || !attributesOf(schema).includes(attribute))
      problems.push(
        `${from} ${at}: ${attribute} is not an attribute (read-only property) of ${resource.Type}`,
      );
  };
  const walk = (from: string, value: unknown, at: string) => {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(from, item, `${at}[${i}]`);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if ('Ref' in record) refTarget(from, String(record.Ref), at);
    else if ('Fn::GetAtt' in record) {
      const [logical, attribute] = record['Fn::GetAtt'] as [string, string];
      getAtt(from, logical, attribute, at);
    } else if ('Fn::Sub' in record) {
      const sub = record['Fn::Sub'];
      const [text, variables] = Array.isArray(sub)
        ? (sub as [string, Record<string, unknown>])
        : [sub as string, {}];
      for (const name of subVariables(text)) {
        if (Object.hasOwn(variables, name)) continue;
        const [logical, attribute] = name.split('.');
        if (attribute !== undefined) getAtt(from, logical ?? '', attribute, at);
        else refTarget(from, name, at);
      }
      for (const [name, expr] of Object.entries(variables)) walk(from, expr, `${at}.${name}`);
    } else for (const [key, item] of Object.entries(record)) walk(from, item, at ? `${at}.${key}` : key);
  };
  for (const [logical, resource] of Object.entries(template.Resources)) {
    const schema = schemas.get(resource.Type)?.schema;
    if (!schema) problems.push(`${logical}: no vendored schema for ${resource.Type}`);
    for (const member of Object.keys(resource.Properties)) {
      if (schema && attributesOf(schema).includes(member))
        problems.push(`${logical}: ${member} is read-only in ${resource.Type}`);
    }
    for (const target of resource.DependsOn ?? []) {
      if (Object.hasOwn(template.Resources, target)) dependsOn(logical, target);
      else problems.push(`${logical}: DependsOn ${target} names no resource`);
    }
    walk(logical, resource.Properties, '');
  }
  const cycle = cycleIn(edges);
  if (cycle) problems.push(`dependency cycle: ${cycle.join(' -> ')}`);
  return problems;
}

function cycleIn(edges: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    state.set(node, 'open');
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), node, next];
      if (!state.has(next)) {
        const found = visit(next, [...path, node]);
        if (found) return found;
      }
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    if (state.has(node)) continue;
    const found = visit(node, []);
    if (found) return found;
  }
  return undefined;
}

/** What a deploy would give: parameter values, and each resource's ARN attribute. */
export interface Deployment {
  parameters: Readonly<Record<string, string>>;
  /** `logicalId` → the ARN its ARN attribute resolves to. */
  arns: Readonly<Record<string, string>>;
  region?: string;
  accountId?: string;
}

/**
 * Every intrinsic function of a value resolved as CloudFormation would (Ref, Fn::GetAtt of an ARN
 * attribute, Fn::Sub, Fn::Select, Fn::Split, Fn::Join).
 * @throws Error on a name the deployment has no value for, or an intrinsic it does not know.
 */
export function resolve(value: unknown, deployment: Deployment): unknown {
  const ref = (name: string): string => {
    if (name === 'AWS::Region') return deployment.region ?? 'eu-west-2';
    if (name === 'AWS::AccountId') return deployment.accountId ?? '444455556666';
    if (name === 'AWS::Partition') return 'aws';
    const found = deployment.parameters[name] ?? deployment.arns[name];
    if (found === undefined) throw new Error(`no value for Ref ${name}`);
    return found;
  };
  const att = (logical: string): string => {
    const found = deployment.arns[logical];
    if (found === undefined) throw new Error(`no ARN for GetAtt ${logical}`);
    return found;
  };
  if (Array.isArray(value)) return value.map((item) => resolve(item, deployment));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only === 'Ref') return ref(String(record.Ref));
  if (only === 'Fn::GetAtt') return att((record['Fn::GetAtt'] as string[])[0] ?? '');
  if (only === 'Fn::Split') {
    const [separator, text] = record['Fn::Split'] as [string, unknown];
    return String(resolve(text, deployment)).split(separator);
  }
  if (only === 'Fn::Select') {
    const [index, list] = record['Fn::Select'] as [number, unknown];
    return (resolve(list, deployment) as unknown[])[index];
  }
  if (only === 'Fn::Join') {
    const [separator, list] = record['Fn::Join'] as [string, unknown[]];
    return (resolve(list, deployment) as unknown[]).join(separator);
  }
  if (only === 'Fn::Sub') {
    const sub = record['Fn::Sub'];
    const [text, variables] = Array.isArray(sub)
      ? (sub as [string, Record<string, unknown>])
      : [sub as string, {}];
    return text.replace(/\$\{(!?)([^}]*)\}/g, (_whole, bang: string, name: string) => {
      if (bang) return `\${${name}}`;
      if (Object.hasOwn(variables, name)) return String(resolve(variables[name], deployment));
      const [logical, attribute] = name.split('.');
      return attribute === undefined ? ref(name) : att(logical ?? '');
    });
  }
  if (only?.startsWith('Fn::')) throw new Error(`intrinsic ${only} is not resolved here`);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, resolve(v, deployment)]));
}

/**
 * Schema problems of every resource once resolved with `deployment`: required members, types,
 * enums, patterns and lengths, as ajv reports them against the vendored provider schema.
 */
export function schemaProblems(template: Template, deployment: Deployment): string[] {
  const schemas = connectSchemas();
  const problems: string[] = [];
  for (const [logical, resource] of Object.entries(template.Resources)) {
    const entry = schemas.get(resource.Type);
    if (!entry) {
      problems.push(`${logical}: no vendored schema for ${resource.Type}`);
      continue;
    }
    const properties = resolve(resource.Properties, deployment);
    if (!entry.validate(properties)) {
      for (const error of entry.validate.errors ?? [])
        problems.push(`${logical} (${resource.Type}) ${error.instancePath || '/'}: ${error.message}`);
    }
  }
  return problems;
}

/** True when a `cfn-lint` command is on the PATH. */
export async function cfnLintAvailable(): Promise<boolean> {
  try {
    await promisify(execFile)('cfn-lint', ['--version'], { timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** Runs `cfn-lint` on a template file; its findings (empty when it found none). */
export async function cfnLint(file: string): Promise<string> {
  try {
    await promisify(execFile)('cfn-lint', ['--format', 'parseable', file], { timeout: 180_000 });
    return '';
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    return `${failure.stdout ?? ''}${failure.stderr ?? ''}` || failure.message;
  }
}
