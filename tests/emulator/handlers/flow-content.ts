/**
 * Validation of flow-language content when it is published, shared by contact flows
 * (CreateContactFlow with Status PUBLISHED, UpdateContactFlowContent) and flow modules
 * (CreateContactFlowModule, UpdateContactFlowModuleContent).
 *
 * What is checked: the content parses as a JSON object; its flow-language structure is sound
 * (`flow-language.ts`: version, start action, unique identifiers, transitions to existing actions,
 * module-only actions only in modules); and every Connect resource ARN in any string value
 * (`arn:aws:connect:<region>:<account>:instance/<id>/<segment>/<resourceId>`) belongs to this
 * instance (same Region, account and instance id) and exists. Lambda and Lex ARNs are not checked,
 * nor are action parameters.
 */
import { ConnectError } from '../errors.js';
import type { InstanceState } from '../state.js';
import { type FlowContentKind, structureProblems } from './flow-language.js';

/** The service lists at most 50 problems, each message at most 256 characters (model `Problems`). */
const MAX_PROBLEMS = 50;
const MAX_MESSAGE = 256;

/**
 * A Connect instance-resource ARN anywhere inside a string (an AGENT queue's is `…/queue/agent/<id>`);
 * a `:<qualifier>` suffix is not captured.
 */
const CONNECT_RESOURCE_ARN =
  /arn:aws[a-z-]*:connect:([a-z0-9-]*):(\d*):instance\/([A-Za-z0-9-]+)\/([a-z-]+)\/(?:agent\/)?([A-Za-z0-9_-]+)/g;

function* stringValues(value: unknown): Generator<string> {
  if (typeof value === 'string') {
    yield value;
  } else if (Array.isArray(value)) {
    for (const item of value) yield* stringValues(item);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) yield* stringValues(item);
  }
}

/**
 * Every problem the service would report when publishing this content in this instance as a flow or
 * a flow module; empty when the content is publishable.
 */
export function contentProblems(instance: InstanceState, content: string, kind: FlowContentKind): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    return [`The content is not valid JSON: ${(error as Error).message}`];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return ['The content must be a JSON object in the flow language.'];
  }
  const modelled = new Set<string>(instance.collections().map((c) => c.segment));
  const problems: string[] = structureProblems(parsed as Record<string, unknown>, kind);
  const seen = new Set<string>();
  for (const text of stringValues(parsed)) {
    for (const match of text.matchAll(CONNECT_RESOURCE_ARN)) {
      const arn = match[0];
      if (seen.has(arn)) continue;
      seen.add(arn);
      const [, region, account, instanceId, segment] = match;
      if (region !== instance.region || account !== instance.accountId || instanceId !== instance.id) {
        problems.push(`Resource ${arn} belongs to another Amazon Connect instance.`);
      } else if (modelled.has(segment ?? '') && !instance.findByArn(arn)) {
        problems.push(`Resource ${arn} does not exist in this instance.`);
      }
    }
  }
  return problems;
}

function problemList(problems: string[]): Array<{ message: string }> {
  return problems.slice(0, MAX_PROBLEMS).map((message) => ({ message: message.slice(0, MAX_MESSAGE) }));
}

/**
 * Validates contact flow content on publish (CreateContactFlow with Status PUBLISHED,
 * UpdateContactFlowContent without `:$SAVED`).
 * @throws ConnectError InvalidContactFlowException (400) with `problems: [{ message }]`.
 */
export function assertFlowContentPublishable(instance: InstanceState, content: string): void {
  const problems = contentProblems(instance, content, 'flow');
  if (problems.length) {
    throw new ConnectError('InvalidContactFlowException', 'The flow is not valid.', {
      problems: problemList(problems),
    });
  }
}

/**
 * Validates flow module content on publish (CreateContactFlowModule, UpdateContactFlowModuleContent
 * without `:$SAVED`).
 * @throws ConnectError InvalidContactFlowModuleException (400) with `Problems: [{ message }]`.
 */
export function assertModuleContentPublishable(instance: InstanceState, content: string): void {
  const problems = contentProblems(instance, content, 'module');
  if (problems.length) {
    throw new ConnectError('InvalidContactFlowModuleException', 'The flow module is not valid.', {
      Problems: problemList(problems),
    });
  }
}

/**
 * Splits a flow or module reference into the resource (id or ARN) and its qualifier, e.g.
 * `<id>:$SAVED` → `{ base: '<id>', qualifier: '$SAVED' }`. Only the part after the last `/` is
 * searched for the qualifier, so the colons of an ARN are left alone.
 */
export function splitQualifier(idOrArn: string): { base: string; qualifier?: string } {
  const lastSegment = idOrArn.lastIndexOf('/') + 1;
  const colon = idOrArn.indexOf(':', lastSegment);
  if (colon < 0 || (lastSegment === 0 && idOrArn.startsWith('arn:'))) return { base: idOrArn };
  return { base: idOrArn.slice(0, colon), qualifier: idOrArn.slice(colon + 1) };
}
