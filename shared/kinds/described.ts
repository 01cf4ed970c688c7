/**
 * Kinds whose Search result is not the full object (connect-api-facts.md §5), read with List, then
 * Describe per item plus the extra list calls that hold the rest:
 * - users: DescribeUser (Search drops e-mail, secondary e-mail and mobile);
 * - routing profiles: DescribeRoutingProfile + ListRoutingProfileQueues (priority and delay);
 * - security profiles: DescribeSecurityProfile + ListSecurityProfilePermissions;
 * - queues: lossless Search, plus ListQueueQuickConnects per queue.
 * And the hierarchy structure, a singleton (DescribeUserHierarchyStructure).
 *
 * Users, routing profiles, security profiles and queues also detect changes (`changes`): an
 * incremental backup describes again only those whose signal moved since the previous snapshot.
 */
import {
  DescribeRoutingProfileCommand,
  DescribeSecurityProfileCommand,
  DescribeUserCommand,
  DescribeUserHierarchyStructureCommand,
  paginateListQueueQuickConnects,
  paginateListQueues,
  paginateListRoutingProfileQueues,
  paginateListRoutingProfiles,
  paginateListSecurityProfilePermissions,
  paginateListSecurityProfiles,
  paginateListUsers,
  paginateSearchQueues,
  paginateSearchRoutingProfiles,
  paginateSearchSecurityProfiles,
  paginateSearchUsers,
  type Queue,
} from '@aws-sdk/client-connect';
import { collect, documentOf, fingerprint, itemsOf, mapUnordered, toPlain } from './read.js';
import type { IncrementalItem, ReadContext, ResourceKind, StoredDocument } from './types.js';

/** Describe calls in flight per kind; the per-operation rate limiters set the real pace. */
const CONCURRENCY = 16;
const LIST_PAGE = 1000;

function opts(ctx: ReadContext) {
  return { abortSignal: ctx.signal };
}

/** The items an earlier invocation of a resumed backup has not stored yet. */
async function* notStored<T>(
  ctx: ReadContext,
  items: AsyncIterable<T>,
  idOf: (item: T) => string | undefined,
): AsyncIterable<T> {
  for await (const item of items) if (!ctx.skip?.(idOf(item) ?? '')) yield item;
}

/** A `LastModifiedTime` as a change-signal part: ISO 8601, as stored documents hold it. */
function timePart(time: unknown): string {
  return time instanceof Date ? time.toISOString() : String(time ?? '');
}

/** Tags as a change-signal part; no tags and `{}` are the same. */
function tagsPart(tags: unknown): string {
  return fingerprint(tags ?? {});
}

/**
 * Runs `first` while the caller starts on something else, and hands its result to whoever awaits
 * `value()`; a failure is kept until then (never an unhandled rejection).
 */
function startEarly<T>(first: () => Promise<T>): { value(): Promise<T> } {
  const pending = first();
  pending.catch(() => undefined);
  return { value: () => pending };
}

/**
 * The incremental read of a List + Describe kind: the List summaries (with `LastModifiedTime`) and
 * one bulk Search (with what List lacks) give each resource's current signal; resources whose
 * signal equals the previous snapshot's are unchanged, the others are described.
 */
function describeChanged<S>(
  ctx: ReadContext,
  previous: ReadonlyMap<string, string>,
  summaries: AsyncIterable<S>,
  idOf: (summary: S) => string | undefined,
  signalOf: (summary: S) => Promise<string>,
  describe: (id: string) => Promise<StoredDocument>,
): AsyncIterable<IncrementalItem> {
  return mapUnordered(notStored(ctx, summaries, idOf), CONCURRENCY, async (summary) => {
    const id = idOf(summary) ?? '';
    const before = previous.get(id);
    if (before !== undefined && before === (await signalOf(summary))) return { unchanged: id };
    return { document: await describe(id) };
  });
}

function listUsers(ctx: ReadContext) {
  return itemsOf(
    paginateListUsers(
      { client: ctx.connect, pageSize: LIST_PAGE },
      { InstanceId: ctx.instanceId },
      opts(ctx),
    ),
    (page) => page.UserSummaryList,
  );
}

async function describeUser(ctx: ReadContext, userId: string): Promise<StoredDocument> {
  const { User } = await ctx.connect.send(
    new DescribeUserCommand({ InstanceId: ctx.instanceId, UserId: userId }),
    opts(ctx),
  );
  if (!User) throw new Error(`DescribeUser returned no user for ${userId}`);
  return documentOf('users', User, { id: User.Id, arn: User.Arn, name: User.Username });
}

const userSignal = (modified: unknown, tags: unknown) =>
  `modified=${timePart(modified)};tags=${tagsPart(tags)}`;

/** SearchUsers pages hold 500 users, with their tags (and no LastModifiedTime). */
const SEARCH_USERS_PAGE = 500;

export const users: ResourceKind = {
  name: 'users',
  label: 'user',
  readOperations: ['ListUsers', 'DescribeUser', 'SearchUsers'],
  read(ctx) {
    const summaries = notStored(ctx, listUsers(ctx), (s) => s.Id);
    return mapUnordered(summaries, CONCURRENCY, (summary) => describeUser(ctx, summary.Id ?? ''));
  },
  changes: {
    signal: 'ListUsers LastModifiedTime, and the tags SearchUsers returns (500 users per call)',
    notCovered: [],
    signalOf: (document) => userSignal(document.resource.LastModifiedTime, document.resource.Tags),
    readChanged(ctx, previous) {
      const tags = startEarly(async () => {
        const byId = new Map<string, unknown>();
        const found = itemsOf(
          paginateSearchUsers(
            { client: ctx.connect, pageSize: SEARCH_USERS_PAGE },
            { InstanceId: ctx.instanceId, MaxResults: SEARCH_USERS_PAGE },
            opts(ctx),
          ),
          (page) => page.Users,
        );
        for await (const user of found) if (user.Id) byId.set(user.Id, user.Tags);
        return byId;
      });
      return describeChanged(
        ctx,
        previous,
        listUsers(ctx),
        (s) => s.Id,
        async (s) => userSignal(s.LastModifiedTime, (await tags.value()).get(s.Id ?? '')),
        (id) => describeUser(ctx, id),
      );
    },
  },
};

function listRoutingProfiles(ctx: ReadContext) {
  return itemsOf(
    paginateListRoutingProfiles(
      { client: ctx.connect, pageSize: LIST_PAGE },
      { InstanceId: ctx.instanceId },
      opts(ctx),
    ),
    (page) => page.RoutingProfileSummaryList,
  );
}

async function describeRoutingProfile(ctx: ReadContext, routingProfileId: string): Promise<StoredDocument> {
  const [{ RoutingProfile }, queueConfigs] = await Promise.all([
    ctx.connect.send(
      new DescribeRoutingProfileCommand({ InstanceId: ctx.instanceId, RoutingProfileId: routingProfileId }),
      opts(ctx),
    ),
    collect(
      itemsOf(
        paginateListRoutingProfileQueues(
          { client: ctx.connect, pageSize: 100 },
          { InstanceId: ctx.instanceId, RoutingProfileId: routingProfileId },
          opts(ctx),
        ),
        (page) => page.RoutingProfileQueueConfigSummaryList,
      ),
    ),
  ]);
  if (!RoutingProfile) throw new Error(`DescribeRoutingProfile returned nothing for ${routingProfileId}`);
  return documentOf(
    'routing-profiles',
    RoutingProfile,
    {
      id: RoutingProfile.RoutingProfileId,
      arn: RoutingProfile.RoutingProfileArn,
      name: RoutingProfile.Name,
    },
    { queueConfigs: queueConfigs.map(toPlain) },
  );
}

/** What a routing profile's signal is made of (see `routingProfiles.changes`). */
interface RoutingProfileSignal {
  modified: unknown;
  tags: unknown;
  /** Associated queue id → the queue's name (queue configs carry the queue's current name). */
  queues: ReadonlyArray<readonly [string, string | undefined]>;
  counts: ReadonlyArray<unknown>;
}

function routingProfileSignal(s: RoutingProfileSignal): string {
  const queues = [...new Map(s.queues).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `modified=${timePart(s.modified)};tags=${tagsPart(s.tags)};queues=${fingerprint(queues)};counts=${s.counts.map((n) => String(n ?? '')).join('/')}`;
}

/** SearchRoutingProfiles pages hold 500 profiles. */
const SEARCH_ROUTING_PROFILES_PAGE = 500;

export const routingProfiles: ResourceKind = {
  name: 'routing-profiles',
  label: 'routing profile',
  readOperations: [
    'ListRoutingProfiles',
    'DescribeRoutingProfile',
    'ListRoutingProfileQueues',
    'SearchRoutingProfiles',
    'ListQueues',
  ],
  read(ctx) {
    const summaries = notStored(ctx, listRoutingProfiles(ctx), (s) => s.Id);
    return mapUnordered(summaries, CONCURRENCY, (summary) => describeRoutingProfile(ctx, summary.Id ?? ''));
  },
  changes: {
    signal:
      'ListRoutingProfiles LastModifiedTime; from SearchRoutingProfiles the tags, the associated queue ids and the numbers of associated queues, manual-assignment queues and users; the names of those queues (ListQueues)',
    notCovered: [
      'the priority and delay of a queue config (UpdateRoutingProfileQueues)',
      'a queue config moved to another channel of the same queue, the number of configs unchanged',
    ],
    signalOf: (document) => {
      const resource = document.resource;
      const configs = (document.related?.queueConfigs ?? []) as Array<{
        QueueId?: string;
        QueueName?: string;
      }>;
      return routingProfileSignal({
        modified: resource.LastModifiedTime,
        tags: resource.Tags,
        queues: configs.map((c) => [c.QueueId ?? '', c.QueueName] as const),
        counts: [
          resource.NumberOfAssociatedQueues,
          resource.NumberOfAssociatedManualAssignmentQueues,
          resource.NumberOfAssociatedUsers,
        ],
      });
    },
    readChanged(ctx, previous) {
      const found = startEarly(async () => {
        const [profiles, queues] = await Promise.all([
          collect(
            itemsOf(
              paginateSearchRoutingProfiles(
                { client: ctx.connect, pageSize: SEARCH_ROUTING_PROFILES_PAGE },
                { InstanceId: ctx.instanceId, MaxResults: SEARCH_ROUTING_PROFILES_PAGE },
                opts(ctx),
              ),
              (page) => page.RoutingProfiles,
            ),
          ),
          collect(
            itemsOf(
              paginateListQueues(
                { client: ctx.connect, pageSize: LIST_PAGE },
                { InstanceId: ctx.instanceId, QueueTypes: ['STANDARD'] },
                opts(ctx),
              ),
              (page) => page.QueueSummaryList,
            ),
          ),
        ]);
        const names = new Map(queues.map((q) => [q.Id ?? '', q.Name] as const));
        return new Map(profiles.map((p) => [p.RoutingProfileId ?? '', { profile: p, names }] as const));
      });
      return describeChanged(
        ctx,
        previous,
        listRoutingProfiles(ctx),
        (s) => s.Id,
        async (summary) => {
          const seen = (await found.value()).get(summary.Id ?? '');
          const profile = seen?.profile;
          return routingProfileSignal({
            modified: summary.LastModifiedTime,
            tags: profile?.Tags,
            queues: (profile?.AssociatedQueueIds ?? []).map((id) => [id, seen?.names.get(id)] as const),
            counts: [
              profile?.NumberOfAssociatedQueues,
              profile?.NumberOfAssociatedManualAssignmentQueues,
              profile?.NumberOfAssociatedUsers,
            ],
          });
        },
        (id) => describeRoutingProfile(ctx, id),
      );
    },
  },
};

function listSecurityProfiles(ctx: ReadContext) {
  return itemsOf(
    paginateListSecurityProfiles(
      { client: ctx.connect, pageSize: LIST_PAGE },
      { InstanceId: ctx.instanceId },
      opts(ctx),
    ),
    (page) => page.SecurityProfileSummaryList,
  );
}

async function describeSecurityProfile(ctx: ReadContext, securityProfileId: string): Promise<StoredDocument> {
  const [{ SecurityProfile }, permissions] = await Promise.all([
    ctx.connect.send(
      new DescribeSecurityProfileCommand({
        InstanceId: ctx.instanceId,
        SecurityProfileId: securityProfileId,
      }),
      opts(ctx),
    ),
    collect(
      itemsOf(
        paginateListSecurityProfilePermissions(
          { client: ctx.connect, pageSize: LIST_PAGE },
          { InstanceId: ctx.instanceId, SecurityProfileId: securityProfileId },
          opts(ctx),
        ),
        (page) => page.Permissions,
      ),
    ),
  ]);
  if (!SecurityProfile) throw new Error(`DescribeSecurityProfile returned nothing for ${securityProfileId}`);
  return documentOf(
    'security-profiles',
    SecurityProfile,
    { id: SecurityProfile.Id, arn: SecurityProfile.Arn, name: SecurityProfile.SecurityProfileName },
    { permissions },
  );
}

const securityProfileSignal = (modified: unknown, tags: unknown) =>
  `modified=${timePart(modified)};tags=${tagsPart(tags)}`;

/** SearchSecurityProfiles pages hold 100 profiles. */
const SEARCH_SECURITY_PROFILES_PAGE = 100;

export const securityProfiles: ResourceKind = {
  name: 'security-profiles',
  label: 'security profile',
  readOperations: [
    'ListSecurityProfiles',
    'DescribeSecurityProfile',
    'ListSecurityProfilePermissions',
    'SearchSecurityProfiles',
  ],
  read(ctx) {
    const summaries = notStored(ctx, listSecurityProfiles(ctx), (s) => s.Id);
    return mapUnordered(summaries, CONCURRENCY, (summary) => describeSecurityProfile(ctx, summary.Id ?? ''));
  },
  changes: {
    // UpdateSecurityProfile sets the permissions and moves LastModifiedTime
    // (ListSecurityProfilePermissions returns the same LastModifiedTime).
    signal: 'ListSecurityProfiles LastModifiedTime, and the tags SearchSecurityProfiles returns',
    notCovered: [],
    signalOf: (document) => securityProfileSignal(document.resource.LastModifiedTime, document.resource.Tags),
    readChanged(ctx, previous) {
      const tags = startEarly(async () => {
        const byId = new Map<string, unknown>();
        const found = itemsOf(
          paginateSearchSecurityProfiles(
            { client: ctx.connect, pageSize: SEARCH_SECURITY_PROFILES_PAGE },
            { InstanceId: ctx.instanceId, MaxResults: SEARCH_SECURITY_PROFILES_PAGE },
            opts(ctx),
          ),
          (page) => page.SecurityProfiles,
        );
        for await (const profile of found) if (profile.Id) byId.set(profile.Id, profile.Tags);
        return byId;
      });
      return describeChanged(
        ctx,
        previous,
        listSecurityProfiles(ctx),
        (s) => s.Id,
        async (s) => securityProfileSignal(s.LastModifiedTime, (await tags.value()).get(s.Id ?? '')),
        (id) => describeSecurityProfile(ctx, id),
      );
    },
  },
};

function searchQueues(ctx: ReadContext): AsyncIterable<Queue> {
  // SearchQueues returns STANDARD queues only; AGENT queues are created with their users.
  return itemsOf(
    paginateSearchQueues(
      { client: ctx.connect, pageSize: 100 },
      { InstanceId: ctx.instanceId, MaxResults: 100 },
      opts(ctx),
    ),
    (page) => page.Queues,
  );
}

async function queueDocument(ctx: ReadContext, queue: Queue): Promise<StoredDocument> {
  const quickConnects = await collect(
    itemsOf(
      paginateListQueueQuickConnects(
        { client: ctx.connect, pageSize: 100 },
        { InstanceId: ctx.instanceId, QueueId: queue.QueueId },
        opts(ctx),
      ),
      (page) => page.QuickConnectSummaryList,
    ),
  );
  return documentOf(
    'queues',
    queue,
    { id: queue.QueueId, arn: queue.QueueArn, name: queue.Name },
    { quickConnectIds: quickConnects.map((q) => q.Id) },
  );
}

/** A queue's signal: the whole Search entity (tags included), which is lossless for queues. */
const queueSignal = (entity: unknown) => `queue=${fingerprint(entity)}`;

export const queues: ResourceKind = {
  name: 'queues',
  label: 'queue',
  readOperations: ['SearchQueues', 'ListQueueQuickConnects'],
  read(ctx) {
    const found = notStored(ctx, searchQueues(ctx), (q) => q.QueueId);
    return mapUnordered(found, CONCURRENCY, (queue) => queueDocument(ctx, queue));
  },
  changes: {
    signal: 'the whole queue as SearchQueues returns it (100 queues per call)',
    notCovered: [
      'the quick connects linked to a queue (Associate/DisassociateQueueQuickConnects, DeleteQuickConnect)',
    ],
    signalOf: (document) => queueSignal(document.resource),
    readChanged(ctx, previous) {
      const found = notStored(ctx, searchQueues(ctx), (q) => q.QueueId);
      return mapUnordered(found, CONCURRENCY, async (queue): Promise<IncrementalItem> => {
        const id = queue.QueueId ?? '';
        const before = previous.get(id);
        if (before !== undefined && before === queueSignal(toPlain(queue))) return { unchanged: id };
        return { document: await queueDocument(ctx, queue) };
      });
    },
  },
};

export const userHierarchyStructure: ResourceKind = {
  name: 'user-hierarchy-structure',
  label: 'user hierarchy structure',
  readOperations: ['DescribeUserHierarchyStructure'],
  async *read(ctx) {
    const { HierarchyStructure } = await ctx.connect.send(
      new DescribeUserHierarchyStructureCommand({ InstanceId: ctx.instanceId }),
      opts(ctx),
    );
    yield {
      kind: 'user-hierarchy-structure',
      id: 'user-hierarchy-structure',
      arn: `${ctx.instanceArn}/user-hierarchy-structure`,
      name: 'user hierarchy structure',
      resource: toPlain(HierarchyStructure ?? {}),
    };
  },
};
