/**
 * Queues: read with SearchQueues (lossless for queues), plus ListQueueQuickConnects per queue.
 * Restored with CreateQueue and the UpdateQueue… calls; their quick-connect links are written
 * after the quick connects exist (the links phase), 50 per call.
 *
 * The outbound caller id number (`OutboundCallerConfig.OutboundCallerIdNumberId`) is a phone number
 * id: when the snapshot holds that number (the phone-numbers kind), restore writes the id of the
 * target number `mappings.phoneNumbers` maps it to (source id → source E.164 → target E.164 → target
 * id), and a queue whose number is not mapped is blocked; a number the snapshot does not hold (an
 * older snapshot) must be mapped with `mappings.ids`.
 *
 * The outbound e-mail address (`OutboundEmailConfig.OutboundEmailAddressId`, written with
 * UpdateQueueOutboundEmailConfig) is an address of the email-addresses kind: restore writes the id of
 * the target address `mappings.emailAddresses` maps it to (created or matched first, as that kind
 * comes before queues); a queue whose address is not restored is skipped with the reason, and an
 * address the snapshot does not hold must be mapped with `mappings.ids`.
 */
import {
  AssociateQueueQuickConnectsCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  DisassociateQueueQuickConnectsCommand,
  type OutboundCallerConfig,
  type OutboundEmailConfig,
  paginateListQueueQuickConnects,
  paginateSearchQueues,
  type Queue,
  UpdateQueueHoursOfOperationCommand,
  UpdateQueueMaxContactsCommand,
  UpdateQueueNameCommand,
  UpdateQueueOutboundCallerConfigCommand,
  UpdateQueueOutboundEmailConfigCommand,
  UpdateQueueStatusCommand,
} from '@aws-sdk/client-connect';
import { CONCURRENCY, notStored, opts } from './support/describe.js';
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
import { requireMembers } from './support/search.js';
import type {
  DeclaredReference,
  IncrementalItem,
  KindRestore,
  ReadContext,
  ResourceKind,
  ResourceState,
  SearchOnlyRead,
  StoredDocument,
  TargetResource,
  WriteContext,
} from './types.js';

function searchQueues(ctx: ReadContext): AsyncIterable<Queue> {
  // Without a type condition SearchQueues returns AGENT queues too (no name, created with their
  // users, not restorable): QueueSearchCriteria's QueueTypeCondition documents STANDARD as its value.
  return itemsOf(
    paginateSearchQueues(
      { client: ctx.connect, pageSize: 100 },
      { InstanceId: ctx.instanceId, MaxResults: 100, SearchCriteria: { QueueTypeCondition: 'STANDARD' } },
      opts(ctx),
    ),
    (page) => page.Queues,
  );
}

/** The ids of the quick connects linked to a queue (ListQueueQuickConnects). */
async function linkedQuickConnectIds(ctx: ReadContext, queueId: string | undefined): Promise<unknown[]> {
  const quickConnects = await collect(
    itemsOf(
      paginateListQueueQuickConnects(
        { client: ctx.connect, pageSize: 100 },
        { InstanceId: ctx.instanceId, QueueId: queueId },
        opts(ctx),
      ),
      (page) => page.QuickConnectSummaryList,
    ),
  );
  return quickConnects.map((q) => q.Id);
}

const QUEUES_SEARCH_ONLY: SearchOnlyRead = {
  why: 'SearchQueues returns the whole Queue, as DescribeQueue does (connect-api-facts.md §5): 100 per call; ListQueueQuickConnects adds the links',
  requires: ['Name', 'Status', 'HoursOfOperationId'],
};

/** @throws Error when SearchQueues returned the queue without a member restore needs. */
function queueDocument(queue: Queue, quickConnectIds: unknown[]): StoredDocument {
  const document = documentOf(
    'queues',
    queue,
    { id: queue.QueueId, arn: queue.QueueArn, name: queue.Name },
    { quickConnectIds },
  );
  requireMembers('SearchQueues', 'queue', document, QUEUES_SEARCH_ONLY.requires);
  return document;
}

/**
 * A queue's signal: the whole Search entity (tags included), which is lossless for queues, and the
 * ids of its linked quick connects (their own operations move nothing in the entity).
 */
const queueSignal = (entity: unknown, quickConnectIds: unknown) =>
  `queue=${fingerprint(entity)};quickConnects=${fingerprint(quickConnectIds ?? [])}`;

/** Quick connects per (Dis)AssociateQueueQuickConnects call. */
const QUICK_CONNECTS_PER_CALL = 50;

const queuesRestore: KindRestore = {
  // STANDARD queues only (the kind reads no AGENT queue; those go with their users). Connect refuses
  // (ResourceInUseException) while a routing profile or quick connect references the queue.
  remove: deletion(
    'DeleteQueue',
    (ctx, target) =>
      ctx.connect.send(
        new DeleteQueueCommand({ InstanceId: ctx.instanceId, QueueId: target.id }),
        sendOptions(ctx),
      ),
    (target) => instanceDefault('queue', ['BasicQueue'], target.name),
  ),
  writeOperations: [
    'CreateQueue',
    'UpdateQueueName',
    'UpdateQueueHoursOfOperation',
    'UpdateQueueMaxContacts',
    'UpdateQueueOutboundCallerConfig',
    'UpdateQueueOutboundEmailConfig',
    'UpdateQueueStatus',
    'AssociateQueueQuickConnects',
    'DisassociateQueueQuickConnects',
    'TagResource',
    'UntagResource',
  ],
  nameMember: 'Name',
  phases: { QuickConnectIds: 'links' },
  unordered: ['QuickConnectIds'],
  links: ['QuickConnectIds'],
  comparable(current, desired) {
    // A document without the links (imported from connect-backup, whose format never held them)
    // says nothing about them: leave the target's. connect-vault's own backups always store the list.
    if (desired.QuickConnectIds !== undefined) return current;
    const { QuickConnectIds: _unknown, ...rest } = current;
    return rest;
  },
  state(document) {
    const queue = entityOf<Queue>(document);
    return {
      Name: queue.Name,
      Description: queue.Description,
      HoursOfOperationId: queue.HoursOfOperationId,
      MaxContacts: queue.MaxContacts,
      OutboundCallerConfig: queue.OutboundCallerConfig,
      OutboundEmailConfig: queue.OutboundEmailConfig,
      Status: queue.Status,
      Tags: userTags(queue.Tags),
      QuickConnectIds: document.related?.quickConnectIds,
    };
  },
  references(state) {
    const refs: DeclaredReference[] = [];
    const add = (member: string, kind: DeclaredReference['kind'], value: string | undefined) => {
      if (value) refs.push({ member, kind, value });
    };
    const caller = state.OutboundCallerConfig as OutboundCallerConfig | undefined;
    const email = state.OutboundEmailConfig as OutboundEmailConfig | undefined;
    add('HoursOfOperationId', 'hours-of-operation', text(state, 'HoursOfOperationId'));
    add('OutboundCallerConfig.OutboundFlowId', 'flows', caller?.OutboundFlowId);
    add('OutboundCallerConfig.OutboundCallerIdNumberId', 'phone-number', caller?.OutboundCallerIdNumberId);
    // An address of the snapshot (the email-addresses kind) is remapped to the target's address.
    add('OutboundEmailConfig.OutboundEmailAddressId', 'email-addresses', email?.OutboundEmailAddressId);
    for (const id of (state.QuickConnectIds as string[] | undefined) ?? [])
      add('QuickConnectIds', 'quick-connects', id);
    return refs;
  },
  async create(ctx, desired) {
    const created = await ctx.connect.send(
      new CreateQueueCommand({
        InstanceId: ctx.instanceId,
        Name: text(desired, 'Name'),
        Description: text(desired, 'Description'),
        HoursOfOperationId: text(desired, 'HoursOfOperationId'),
        MaxContacts: desired.MaxContacts as number | undefined,
        OutboundCallerConfig: desired.OutboundCallerConfig as OutboundCallerConfig | undefined,
        OutboundEmailConfig: desired.OutboundEmailConfig as OutboundEmailConfig | undefined,
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.QueueId || !created.QueueArn) throw new Error('CreateQueue returned no id');
    const queue = { id: created.QueueId, arn: created.QueueArn };
    if (desired.Status === 'DISABLED') {
      await ctx.connect.send(
        new UpdateQueueStatusCommand({ InstanceId: ctx.instanceId, QueueId: queue.id, Status: 'DISABLED' }),
        sendOptions(ctx),
      );
    }
    return queue;
  },
  async update(ctx, phase, target, { current, desired, changed }) {
    const base = { InstanceId: ctx.instanceId, QueueId: target.id };
    if (phase === 'links') {
      if (changed.has('QuickConnectIds')) await updateQuickConnectLinks(ctx, target, current, desired);
      return;
    }
    if (anyChanged(changed, 'Name', 'Description')) {
      await ctx.connect.send(
        new UpdateQueueNameCommand({
          ...base,
          ...(changed.has('Name') ? { Name: text(desired, 'Name') } : {}),
          ...(changed.has('Description') ? { Description: text(desired, 'Description') } : {}),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('HoursOfOperationId')) {
      await ctx.connect.send(
        new UpdateQueueHoursOfOperationCommand({
          ...base,
          HoursOfOperationId: text(desired, 'HoursOfOperationId'),
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('MaxContacts')) {
      await ctx.connect.send(
        new UpdateQueueMaxContactsCommand({
          ...base,
          MaxContacts: desired.MaxContacts as number | undefined,
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('OutboundCallerConfig')) {
      await ctx.connect.send(
        new UpdateQueueOutboundCallerConfigCommand({
          ...base,
          OutboundCallerConfig: (desired.OutboundCallerConfig as OutboundCallerConfig | undefined) ?? {},
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('OutboundEmailConfig')) {
      await ctx.connect.send(
        new UpdateQueueOutboundEmailConfigCommand({
          ...base,
          OutboundEmailConfig: (desired.OutboundEmailConfig as OutboundEmailConfig | undefined) ?? {},
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Status')) {
      await ctx.connect.send(
        new UpdateQueueStatusCommand({ ...base, Status: (desired.Status as Queue['Status']) ?? 'ENABLED' }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
  },
};

/** Links the wanted quick connects to a queue and unlinks the others, 50 per call. */
async function updateQuickConnectLinks(
  ctx: WriteContext,
  target: TargetResource,
  current: ResourceState | undefined,
  desired: ResourceState,
): Promise<void> {
  const have = new Set((current?.QuickConnectIds as string[] | undefined) ?? []);
  const want = new Set((desired.QuickConnectIds as string[] | undefined) ?? []);
  const base = { InstanceId: ctx.instanceId, QueueId: target.id };
  for (const QuickConnectIds of batches(
    [...want].filter((id) => !have.has(id)),
    QUICK_CONNECTS_PER_CALL,
  )) {
    await ctx.connect.send(
      new AssociateQueueQuickConnectsCommand({ ...base, QuickConnectIds }),
      sendOptions(ctx),
    );
  }
  for (const QuickConnectIds of batches(
    [...have].filter((id) => !want.has(id)),
    QUICK_CONNECTS_PER_CALL,
  )) {
    await ctx.connect.send(
      new DisassociateQueueQuickConnectsCommand({ ...base, QuickConnectIds }),
      sendOptions(ctx),
    );
  }
}

export const queues: ResourceKind<'queues'> = {
  name: 'queues',
  label: 'queue',
  readOperations: ['SearchQueues', 'ListQueueQuickConnects'],
  searchOnly: QUEUES_SEARCH_ONLY,
  read(ctx) {
    const found = notStored(ctx, searchQueues(ctx), (q) => q.QueueId);
    return mapUnordered(found, CONCURRENCY, async (queue) =>
      queueDocument(queue, await linkedQuickConnectIds(ctx, queue.QueueId)),
    );
  },
  changes: {
    signal:
      'the whole queue as SearchQueues returns it (100 queues per call), and ListQueueQuickConnects per queue',
    notCovered: [],
    signalOf: (document) => queueSignal(document.resource, document.related?.quickConnectIds),
    readChanged(ctx, previous) {
      const found = notStored(ctx, searchQueues(ctx), (q) => q.QueueId);
      return mapUnordered(found, CONCURRENCY, async (queue): Promise<IncrementalItem> => {
        const id = queue.QueueId ?? '';
        // Links have their own operations (and a deleted quick connect drops its links): the
        // list itself is the signal, one call per queue at 10 a second.
        const quickConnectIds = await linkedQuickConnectIds(ctx, queue.QueueId);
        const before = previous.get(id);
        if (before !== undefined && before === queueSignal(toPlain(queue), quickConnectIds))
          return { unchanged: id };
        return { document: queueDocument(queue, quickConnectIds) };
      });
    },
  },
  restore: queuesRestore,
};
