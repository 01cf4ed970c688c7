/**
 * Reading the CloudFormation YAML in infra/ in tests: every intrinsic function's short form
 * (`!Sub`, `!GetAtt`, `!If`, …) is kept as a plain `{ Name: value }` object, sequences as arrays.
 */
import { readFileSync } from 'node:fs';
import { parse, type YAMLSeq } from 'yaml';

const INTRINSICS = [
  'Sub',
  'GetAtt',
  'Ref',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Condition',
  'FindInMap',
  'ImportValue',
  'Base64',
  'GetAZs',
];

/** The YAML custom tags of CloudFormation's short forms, for `parse(text, { customTags })`. */
export const cfnTags = INTRINSICS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: unknown) => ({ [name]: value }) },
  {
    tag: `!${name}`,
    collection: 'seq' as const,
    resolve: (value: unknown) => ({ [name]: (value as YAMLSeq).toJSON() }),
  },
]);

/** Parses a CloudFormation YAML text with {@link cfnTags}. */
export function parseTemplate<T = unknown>(text: string): T {
  return parse(text, { customTags: cfnTags }) as T;
}

/** Reads and parses a CloudFormation YAML file (a path from the project root). */
export function readTemplate<T = unknown>(path: string): T {
  return parseTemplate<T>(readFileSync(path, 'utf8'));
}
