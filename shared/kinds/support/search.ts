/**
 * The read part shared by kinds that one paginated Search call reads in full (the Search item has
 * the same shape as the Describe entity: connect-api-facts.md §5): prompts (metadata), hours of
 * operation, quick connects, agent statuses, predefined attributes and user hierarchy groups. One
 * Search call per 100 resources, no Describe.
 */

import type {
  KindName,
  KindRestore,
  ReadContext,
  ResourceKind,
  SearchOnlyRead,
  StoredDocument,
} from '../types.js';
import { documentOf } from './read.js';

/** Search pages hold 100 resources. */
export const PAGE = 100;

/**
 * The read part of a kind that one paginated Search call reads in full, joined to its restore part.
 * `keep` drops the items the kind does not store.
 */
export function searchKind<N extends KindName, E extends object>(options: {
  name: N;
  label: string;
  operation: string;
  search: (ctx: ReadContext) => AsyncIterable<E>;
  /** The entity's identity; `ctx` for kinds whose identity the entity alone lacks (predefined attributes). */
  identity: (
    entity: E,
    ctx: ReadContext,
  ) => { id: string | undefined; arn: string | undefined; name: string | undefined };
  keep?: (entity: E) => boolean;
  /** Why Search alone, and the members it must return. */
  searchOnly: SearchOnlyRead;
  restore: KindRestore;
}): ResourceKind<N> {
  return {
    name: options.name,
    label: options.label,
    readOperations: [options.operation],
    searchOnly: options.searchOnly,
    async *read(ctx: ReadContext): AsyncIterable<StoredDocument> {
      for await (const entity of options.search(ctx)) {
        if (options.keep && !options.keep(entity)) continue;
        const document = documentOf(options.name, entity, options.identity(entity, ctx));
        requireMembers(options.operation, options.label, document, options.searchOnly.requires);
        yield document;
      }
    },
    restore: options.restore,
  };
}

/** The paginator configuration of a Search read. */
export const config = (ctx: ReadContext) => ({ client: ctx.connect, pageSize: PAGE });
/** The request of a Search read: the instance, a page of 100. */
export const request = (ctx: ReadContext) => ({ InstanceId: ctx.instanceId, MaxResults: PAGE });

/**
 * Checks that a Search entity carries the members a Search-only kind relies on.
 * @throws Error naming the operation, the resource and each missing member.
 */
export function requireMembers(
  operation: string,
  label: string,
  document: StoredDocument,
  members: readonly string[],
): void {
  const missing = members.filter((m) => document.resource[m] === undefined || document.resource[m] === null);
  if (missing.length === 0) return;
  throw new Error(
    `${operation} returned the ${label} "${document.name}" (${document.id}) without ${missing.join(', ')}: ` +
      'the backup reads this kind with Search alone and cannot restore it without them, so no snapshot is written. ' +
      'Run `connect-vault doctor` and report the finding.',
  );
}
