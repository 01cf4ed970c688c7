/** Small building blocks the kinds' restore parts share: tags, batches, state helpers. */
import { TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-connect';
import type { ResourceState, TargetResource, WriteContext } from '../types.js';

/** Tags as a plain map, without the reserved `aws:` keys no API call may set. */
export function userTags(tags: unknown): Record<string, string> | undefined {
  if (tags === null || typeof tags !== 'object') return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
    if (!key.startsWith('aws:') && typeof value === 'string') out[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** `{ Tags }` when there are tags, else nothing: create requests reject an empty tag map. */
export function tagsMember(state: ResourceState): { Tags?: Record<string, string> } {
  const tags = state.Tags as Record<string, string> | undefined;
  return tags && Object.keys(tags).length ? { Tags: tags } : {};
}

/** Splits a list into batches of at most `size` (routing-profile queue configs: 10; quick connects: 50). */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

/**
 * Brings a resource's tags to `desired` (TagResource for new and changed values, UntagResource for
 * keys no longer wanted). Does nothing when they are equal.
 */
export async function updateTags(
  ctx: WriteContext,
  target: TargetResource,
  current: unknown,
  desired: unknown,
): Promise<void> {
  const have = userTags(current) ?? {};
  const want = userTags(desired) ?? {};
  const set = Object.fromEntries(Object.entries(want).filter(([key, value]) => have[key] !== value));
  const remove = Object.keys(have).filter((key) => !(key in want));
  for (const chunk of batches(Object.entries(set), 50)) {
    await ctx.connect.send(
      new TagResourceCommand({ resourceArn: target.arn, tags: Object.fromEntries(chunk) }),
      { abortSignal: ctx.signal },
    );
  }
  for (const tagKeys of batches(remove, 50)) {
    await ctx.connect.send(new UntagResourceCommand({ resourceArn: target.arn, tagKeys }), {
      abortSignal: ctx.signal,
    });
  }
}

/** A string member of a state, or undefined. */
export function text(state: ResourceState | undefined, member: string): string | undefined {
  const value = state?.[member];
  return typeof value === 'string' ? value : undefined;
}

/** True when `changed` holds any of `members`. */
export function anyChanged(changed: ReadonlySet<string>, ...members: string[]): boolean {
  return members.some((member) => changed.has(member));
}

/** The stored document's `resource` member as the entity type `E`. */
export function entityOf<E>(document: { resource: Record<string, unknown> }): E {
  return document.resource as E;
}

/** Options for every write: the deadline signal. */
export function sendOptions(ctx: WriteContext): { abortSignal?: AbortSignal } {
  return { abortSignal: ctx.signal };
}
