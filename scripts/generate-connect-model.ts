/**
 * Generates `tests/emulator/model/connect-model.json` from the botocore Connect API model.
 *
 * The emulator routes and validates requests with this table, so it is never hand-typed. The source
 * is the normal-format model (`connect-2017-08-08.normal.json`, botocore 1.43.107, the same 397
 * operations as `@aws-sdk/client-connect` 3.1136.0). Documentation strings are dropped; everything
 * the emulator needs is kept: HTTP bindings, required members, types, min/max, enums, patterns and
 * the error shapes with their HTTP status codes.
 *
 * Usage: `npm run generate:model -- [path/to/connect-2017-08-08.normal.json]`
 * (default: `../shared/connect-api/connect-2017-08-08.normal.json`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv[2] ?? resolve(root, '../shared/connect-api/connect-2017-08-08.normal.json');
const target = resolve(root, 'tests/emulator/model/connect-model.json');

type Json = Record<string, unknown>;
const model = JSON.parse(readFileSync(source, 'utf8')) as {
  metadata: Json;
  operations: Record<string, Json>;
  shapes: Record<string, Json>;
};

const KEEP_SHAPE = [
  'type',
  'required',
  'members',
  'member',
  'key',
  'value',
  'min',
  'max',
  'enum',
  'pattern',
  'error',
  'exception',
  'timestampFormat',
  'union',
] as const;
const KEEP_MEMBER = ['shape', 'location', 'locationName', 'idempotencyToken', 'jsonvalue'] as const;

function pick<T extends readonly string[]>(from: Json, keys: T): Json {
  const out: Json = {};
  for (const key of keys) if (from[key] !== undefined) out[key] = from[key];
  return out;
}

const shapes: Record<string, Json> = {};
for (const [name, shape] of Object.entries(model.shapes)) {
  const kept = pick(shape, KEEP_SHAPE);
  if (shape.members) {
    kept.members = Object.fromEntries(
      Object.entries(shape.members as Record<string, Json>).map(([m, def]) => [m, pick(def, KEEP_MEMBER)]),
    );
  }
  for (const nested of ['member', 'key', 'value'] as const) {
    if (shape[nested]) kept[nested] = pick(shape[nested] as Json, KEEP_MEMBER);
  }
  shapes[name] = kept;
}

const operations: Record<string, Json> = {};
for (const [name, op] of Object.entries(model.operations)) {
  operations[name] = {
    http: op.http,
    input: (op.input as Json | undefined)?.shape,
    output: (op.output as Json | undefined)?.shape,
    errors: ((op.errors as Json[] | undefined) ?? []).map((e) => e.shape),
  };
}

const out = {
  generatedBy: 'scripts/generate-connect-model.ts',
  source: 'botocore 1.43.107 data/connect/2017-08-08/service-2.json',
  metadata: pick(model.metadata, ['apiVersion', 'endpointPrefix', 'protocol', 'signingName', 'serviceId']),
  operations,
  shapes,
};
writeFileSync(target, `${JSON.stringify(out)}\n`);
console.log(
  `wrote ${target}: ${Object.keys(operations).length} operations, ${Object.keys(shapes).length} shapes`,
);
