/**
 * Routing profiles: read with ListRoutingProfiles, then DescribeRoutingProfile,
 * ListRoutingProfileQueues (priority and delay) and ListRoutingProfileManualAssignmentQueues per
 * profile; incremental backups describe again only those whose signal moved. Restored with
 * CreateRoutingProfile and the UpdateRoutingProfile… calls, queue configs and manual-assignment
 * queues 10 per call (Associate/DisassociateRoutingProfileQueues).
 */
import {
  AssociateRoutingProfileQueuesCommand,
  CreateRoutingProfileCommand,
  DeleteRoutingProfileCommand,
  DescribeRoutingProfileCommand,
  DisassociateRoutingProfileQueuesCommand,
  type MediaConcurrency,
  paginateListRoutingProfileManualAssignmentQueues,
  paginateListRoutingProfileQueues,
  paginateListRoutingProfiles,
  paginateSearchRoutingProfiles,
  type RoutingProfile,
  type RoutingProfileQueueConfig,
  UpdateRoutingProfileAgentAvailabilityTimerCommand,
  UpdateRoutingProfileConcurrencyCommand,
  UpdateRoutingProfileDefaultOutboundQueueCommand,
  UpdateRoutingProfileNameCommand,
  UpdateRoutingProfileQueuesCommand,
} from '@aws-sdk/client-connect';
import {
  CONCURRENCY,
  LIST_PAGE,
  notStored,
  opts,
  startEarly,
  tagsPart,
  timePart,
} from './support/describe.js';
import { collect, documentOf, fingerprint, itemsOf, mapUnordered, toPlain } from './support/read.js';
import { deletion, instanceDefault } from './support/removal.js';
import {
  anyChanged,
  batches,
  entityOf,
  sendOptions,
  tagsMember,
  text,
  updateTags,
  userTags,
} from './support/restore.js';
import type {
  DeclaredReference,
  IncrementalItem,
  KindRestore,
  ReadContext,
  ResourceKind,
  ResourceState,
  StoredDocument,
} from './types.js';

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

/** A routing profile's queue configs (ListRoutingProfileQueues: queue, channel, priority, delay, queue name). */
async function listQueueConfigs(
  ctx: ReadContext,
  routingProfileId: string,
): Promise<Record<string, unknown>[]> {
  const configs = await collect(
    itemsOf(
      paginateListRoutingProfileQueues(
        { client: ctx.connect, pageSize: 100 },
        { InstanceId: ctx.instanceId, RoutingProfileId: routingProfileId },
        opts(ctx),
      ),
      (page) => page.RoutingProfileQueueConfigSummaryList,
    ),
  );
  return configs.map(toPlain);
}

/**
 * A routing profile's manual-assignment queues (ListRoutingProfileManualAssignmentQueues: queue,
 * channel, queue name), by queue and channel.
 */
async function listManualQueues(
  ctx: ReadContext,
  routingProfileId: string,
): Promise<Record<string, unknown>[]> {
  const configs = await collect(
    itemsOf(
      paginateListRoutingProfileManualAssignmentQueues(
        { client: ctx.connect, pageSize: 100 },
        { InstanceId: ctx.instanceId, RoutingProfileId: routingProfileId },
        opts(ctx),
      ),
      (page) => page.RoutingProfileManualAssignmentQueueConfigSummaryList,
    ),
  );
  return configs.map(toPlain).sort((a, b) => {
    // Code-unit order, whatever the locale.
    const [x, y] = [configKey(a as unknown as ManualQueue), configKey(b as unknown as ManualQueue)];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * DescribeRoutingProfile, with the queue configs (ListRoutingProfileQueues) and the
 * manual-assignment queues (ListRoutingProfileManualAssignmentQueues, `related` only when there are
 * some) unless the caller has just listed them.
 */
async function describeRoutingProfile(
  ctx: ReadContext,
  routingProfileId: string,
  listed?: Record<string, unknown>[],
  listedManual?: Record<string, unknown>[],
): Promise<StoredDocument> {
  const [{ RoutingProfile }, queueConfigs, manualQueues] = await Promise.all([
    ctx.connect.send(
      new DescribeRoutingProfileCommand({ InstanceId: ctx.instanceId, RoutingProfileId: routingProfileId }),
      opts(ctx),
    ),
    listed ?? listQueueConfigs(ctx, routingProfileId),
    listedManual ?? listManualQueues(ctx, routingProfileId),
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
    { queueConfigs, ...(manualQueues.length ? { manualAssignmentQueueConfigs: manualQueues } : {}) },
  );
}

/** What a routing profile's signal is made of (see `routingProfiles.changes`). */
interface RoutingProfileSignal {
  modified: unknown;
  tags: unknown;
  /** The queue configs as ListRoutingProfileQueues returns them (queue name, channel, priority, delay). */
  queueConfigs: unknown;
  /** The manual-assignment queues (ListRoutingProfileManualAssignmentQueues); none: no part. */
  manualQueues: ReadonlyArray<unknown> | undefined;
  counts: ReadonlyArray<unknown>;
}

function routingProfileSignal(s: RoutingProfileSignal): string {
  const base = `modified=${timePart(s.modified)};tags=${tagsPart(s.tags)};queueConfigs=${fingerprint(s.queueConfigs ?? [])};counts=${s.counts.map((n) => String(n ?? '')).join('/')}`;
  // Left out when there are none, so that profiles without manual queues keep their signal.
  return s.manualQueues?.length ? `${base};manualQueues=${fingerprint(s.manualQueues)}` : base;
}

/** SearchRoutingProfiles pages hold 500 profiles. */
const SEARCH_ROUTING_PROFILES_PAGE = 500;

/** Queue configs per CreateRoutingProfile / (Dis)AssociateRoutingProfileQueues / UpdateRoutingProfileQueues call. */
const QUEUE_CONFIGS_PER_CALL = 10;

/** One queue config as restore compares and writes it. */
interface QueueConfig {
  QueueId: string;
  Channel: string;
  Priority: number;
  Delay: number;
}

function queueConfigsOf(state: ResourceState | undefined): QueueConfig[] {
  return (state?.QueueConfigs as QueueConfig[] | undefined) ?? [];
}

const configKey = (config: { QueueId: string; Channel: string }) =>
  `${config.QueueId}\u0000${config.Channel}`;

/** One manual-assignment queue as restore compares and writes it (no priority, no delay). */
interface ManualQueue {
  QueueId: string;
  Channel: string;
}

function manualQueuesOf(state: ResourceState | undefined): ManualQueue[] {
  return (state?.ManualAssignmentQueueConfigs as ManualQueue[] | undefined) ?? [];
}

const queueReference = (config: ManualQueue) => ({
  QueueId: config.QueueId,
  Channel: config.Channel as 'CHAT',
});

function toRequestConfig(config: QueueConfig): RoutingProfileQueueConfig {
  return {
    QueueReference: { QueueId: config.QueueId, Channel: config.Channel as 'VOICE' },
    Priority: config.Priority,
    Delay: config.Delay,
  };
}

const routingProfilesRestore: KindRestore = {
  // Connect refuses (ResourceInUseException) while users have the profile: users are removed first.
  remove: deletion(
    'DeleteRoutingProfile',
    (ctx, target) =>
      ctx.connect.send(
        new DeleteRoutingProfileCommand({ InstanceId: ctx.instanceId, RoutingProfileId: target.id }),
        sendOptions(ctx),
      ),
    (target) =>
      target.resource.IsDefault === true
        ? `kept: "${target.name}" is the instance's default routing profile (IsDefault), which Connect never deletes`
        : instanceDefault('routing profile', ['Basic Routing Profile'], target.name),
  ),
  writeOperations: [
    'CreateRoutingProfile',
    'UpdateRoutingProfileName',
    'UpdateRoutingProfileConcurrency',
    'UpdateRoutingProfileDefaultOutboundQueue',
    'UpdateRoutingProfileAgentAvailabilityTimer',
    'UpdateRoutingProfileQueues',
    'AssociateRoutingProfileQueues',
    'DisassociateRoutingProfileQueues',
    'TagResource',
    'UntagResource',
  ],
  nameMember: 'Name',
  unordered: ['MediaConcurrencies', 'QueueConfigs', 'ManualAssignmentQueueConfigs'],
  state(document) {
    const profile = entityOf<RoutingProfile>(document);
    const configs = (document.related?.queueConfigs as Array<Record<string, unknown>> | undefined) ?? [];
    const manual =
      (document.related?.manualAssignmentQueueConfigs as Array<Record<string, unknown>> | undefined) ?? [];
    return {
      Name: profile.Name,
      Description: profile.Description,
      DefaultOutboundQueueId: profile.DefaultOutboundQueueId,
      MediaConcurrencies: profile.MediaConcurrencies,
      AgentAvailabilityTimer: profile.AgentAvailabilityTimer,
      QueueConfigs: configs.map((c) => ({
        QueueId: c.QueueId,
        Channel: c.Channel,
        Priority: c.Priority,
        Delay: c.Delay,
      })),
      ...(manual.length
        ? { ManualAssignmentQueueConfigs: manual.map((c) => ({ QueueId: c.QueueId, Channel: c.Channel })) }
        : {}),
      Tags: userTags(profile.Tags),
    };
  },
  references(state) {
    const refs: DeclaredReference[] = [];
    const outbound = text(state, 'DefaultOutboundQueueId');
    if (outbound) refs.push({ member: 'DefaultOutboundQueueId', kind: 'queues', value: outbound });
    for (const config of queueConfigsOf(state))
      refs.push({ member: 'QueueConfigs.QueueId', kind: 'queues', value: config.QueueId });
    for (const config of manualQueuesOf(state))
      refs.push({ member: 'ManualAssignmentQueueConfigs.QueueId', kind: 'queues', value: config.QueueId });
    return refs;
  },
  async create(ctx, desired) {
    const configs = queueConfigsOf(desired).map(toRequestConfig);
    const [first = [], ...rest] = batches(configs, QUEUE_CONFIGS_PER_CALL);
    const manual = manualQueuesOf(desired).map((c) => ({ QueueReference: queueReference(c) }));
    const [firstManual = [], ...restManual] = batches(manual, QUEUE_CONFIGS_PER_CALL);
    const created = await ctx.connect.send(
      new CreateRoutingProfileCommand({
        InstanceId: ctx.instanceId,
        Name: text(desired, 'Name'),
        Description: text(desired, 'Description'),
        DefaultOutboundQueueId: text(desired, 'DefaultOutboundQueueId'),
        MediaConcurrencies: desired.MediaConcurrencies as MediaConcurrency[],
        AgentAvailabilityTimer: desired.AgentAvailabilityTimer as RoutingProfile['AgentAvailabilityTimer'],
        ...(first.length ? { QueueConfigs: first } : {}),
        ...(firstManual.length ? { ManualAssignmentQueueConfigs: firstManual } : {}),
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.RoutingProfileId || !created.RoutingProfileArn)
      throw new Error('CreateRoutingProfile returned no id');
    for (const QueueConfigs of rest) {
      await ctx.connect.send(
        new AssociateRoutingProfileQueuesCommand({
          InstanceId: ctx.instanceId,
          RoutingProfileId: created.RoutingProfileId,
          QueueConfigs,
        }),
        sendOptions(ctx),
      );
    }
    for (const ManualAssignmentQueueConfigs of restManual) {
      await ctx.connect.send(
        new AssociateRoutingProfileQueuesCommand({
          InstanceId: ctx.instanceId,
          RoutingProfileId: created.RoutingProfileId,
          ManualAssignmentQueueConfigs,
        }),
        sendOptions(ctx),
      );
    }
    return { id: created.RoutingProfileId, arn: created.RoutingProfileArn };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    const base = { InstanceId: ctx.instanceId, RoutingProfileId: target.id };
    if (anyChanged(changed, 'Name', 'Description')) {
      await ctx.connect.send(
        new UpdateRoutingProfileNameCommand({
          ...base,
          ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
          ...(changed.has('Description') ? { Description: text(desired, 'Description') } : {}),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('MediaConcurrencies')) {
      await ctx.connect.send(
        new UpdateRoutingProfileConcurrencyCommand({
          ...base,
          MediaConcurrencies: desired.MediaConcurrencies as MediaConcurrency[],
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('DefaultOutboundQueueId')) {
      await ctx.connect.send(
        new UpdateRoutingProfileDefaultOutboundQueueCommand({
          ...base,
          DefaultOutboundQueueId: text(desired, 'DefaultOutboundQueueId'),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('AgentAvailabilityTimer')) {
      await ctx.connect.send(
        new UpdateRoutingProfileAgentAvailabilityTimerCommand({
          ...base,
          AgentAvailabilityTimer: desired.AgentAvailabilityTimer as RoutingProfile['AgentAvailabilityTimer'],
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('QueueConfigs')) {
      const have = new Map(queueConfigsOf(current).map((c) => [configKey(c), c]));
      const want = new Map(queueConfigsOf(desired).map((c) => [configKey(c), c]));
      const removed = [...have.values()].filter((c) => !want.has(configKey(c)));
      const added = [...want.values()].filter((c) => !have.has(configKey(c)));
      const reprioritised = [...want.values()].filter((c) => {
        const old = have.get(configKey(c));
        return old !== undefined && (old.Priority !== c.Priority || old.Delay !== c.Delay);
      });
      for (const chunk of batches(removed, QUEUE_CONFIGS_PER_CALL)) {
        await ctx.connect.send(
          new DisassociateRoutingProfileQueuesCommand({
            ...base,
            QueueReferences: chunk.map((c) => ({ QueueId: c.QueueId, Channel: c.Channel as 'VOICE' })),
          }),
          sendOptions(ctx),
        );
      }
      for (const chunk of batches(added, QUEUE_CONFIGS_PER_CALL)) {
        await ctx.connect.send(
          new AssociateRoutingProfileQueuesCommand({ ...base, QueueConfigs: chunk.map(toRequestConfig) }),
          sendOptions(ctx),
        );
      }
      for (const chunk of batches(reprioritised, QUEUE_CONFIGS_PER_CALL)) {
        await ctx.connect.send(
          new UpdateRoutingProfileQueuesCommand({ ...base, QueueConfigs: chunk.map(toRequestConfig) }),
          sendOptions(ctx),
        );
      }
    }
    if (changed.has('ManualAssignmentQueueConfigs')) {
      const have = new Map(manualQueuesOf(current).map((c) => [configKey(c), c]));
      const want = new Map(manualQueuesOf(desired).map((c) => [configKey(c), c]));
      const removed = [...have.values()].filter((c) => !want.has(configKey(c)));
      const added = [...want.values()].filter((c) => !have.has(configKey(c)));
      for (const chunk of batches(removed, QUEUE_CONFIGS_PER_CALL)) {
        await ctx.connect.send(
          new DisassociateRoutingProfileQueuesCommand({
            ...base,
            ManualAssignmentQueueReferences: chunk.map(queueReference),
          }),
          sendOptions(ctx),
        );
      }
      for (const chunk of batches(added, QUEUE_CONFIGS_PER_CALL)) {
        await ctx.connect.send(
          new AssociateRoutingProfileQueuesCommand({
            ...base,
            ManualAssignmentQueueConfigs: chunk.map((c) => ({ QueueReference: queueReference(c) })),
          }),
          sendOptions(ctx),
        );
      }
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

export const routingProfiles: ResourceKind<'routing-profiles'> = {
  name: 'routing-profiles',
  label: 'routing profile',
  readOperations: [
    'ListRoutingProfiles',
    'DescribeRoutingProfile',
    'ListRoutingProfileQueues',
    'ListRoutingProfileManualAssignmentQueues',
    'SearchRoutingProfiles',
    'ListQueues',
  ],
  read(ctx) {
    const summaries = notStored(ctx, listRoutingProfiles(ctx), (s) => s.Id);
    return mapUnordered(summaries, CONCURRENCY, (summary) => describeRoutingProfile(ctx, summary.Id ?? ''));
  },
  changes: {
    signal:
      'ListRoutingProfiles LastModifiedTime; ListRoutingProfileQueues per profile (every queue config with its priority and delay); ListRoutingProfileManualAssignmentQueues per profile that SearchRoutingProfiles counts manual-assignment queues on (queue and channel); from SearchRoutingProfiles the tags and the numbers of associated queues, manual-assignment queues and users',
    notCovered: [],
    signalOf: (document) => {
      const resource = document.resource;
      return routingProfileSignal({
        modified: resource.LastModifiedTime,
        tags: resource.Tags,
        queueConfigs: document.related?.queueConfigs,
        manualQueues: document.related?.manualAssignmentQueueConfigs as unknown[] | undefined,
        counts: [
          resource.NumberOfAssociatedQueues,
          resource.NumberOfAssociatedManualAssignmentQueues,
          resource.NumberOfAssociatedUsers,
        ],
      });
    },
    readChanged(ctx, previous) {
      const found = startEarly(async () => {
        const profiles = await collect(
          itemsOf(
            paginateSearchRoutingProfiles(
              { client: ctx.connect, pageSize: SEARCH_ROUTING_PROFILES_PAGE },
              { InstanceId: ctx.instanceId, MaxResults: SEARCH_ROUTING_PROFILES_PAGE },
              opts(ctx),
            ),
            (page) => page.RoutingProfiles,
          ),
        );
        return new Map(profiles.map((p) => [p.RoutingProfileId ?? '', p] as const));
      });
      const summaries = notStored(ctx, listRoutingProfiles(ctx), (s) => s.Id);
      return mapUnordered(summaries, CONCURRENCY, async (summary): Promise<IncrementalItem> => {
        const id = summary.Id ?? '';
        // Queue-config priority and delay have their own operation and move no timestamp:
        // the list itself is the signal (10 calls a second, one per profile).
        const queueConfigs = await listQueueConfigs(ctx, id);
        const profile = (await found.value()).get(id);
        // Manual-assignment queues likewise, but only where Search counts some (or does not know
        // the profile yet): a profile without any needs no call.
        const manualQueues =
          profile?.NumberOfAssociatedManualAssignmentQueues === 0
            ? undefined
            : await listManualQueues(ctx, id);
        const now = routingProfileSignal({
          modified: summary.LastModifiedTime,
          tags: profile?.Tags,
          queueConfigs,
          manualQueues,
          counts: [
            profile?.NumberOfAssociatedQueues,
            profile?.NumberOfAssociatedManualAssignmentQueues,
            profile?.NumberOfAssociatedUsers,
          ],
        });
        const before = previous.get(id);
        if (before !== undefined && before === now) return { unchanged: id };
        return { document: await describeRoutingProfile(ctx, id, queueConfigs, manualQueues) };
      });
    },
  },
  restore: routingProfilesRestore,
};
