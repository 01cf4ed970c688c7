/**
 * Queues and their quick-connect links: ListQueues, DescribeQueue, SearchQueues, CreateQueue,
 * UpdateQueueName, UpdateQueueHoursOfOperation, UpdateQueueMaxContacts,
 * UpdateQueueOutboundCallerConfig, UpdateQueueOutboundEmailConfig, UpdateQueueStatus,
 * AssociateQueueQuickConnects, DisassociateQueueQuickConnects, ListQueueQuickConnects, DeleteQueue.
 *
 * AGENT queues are created by CreateUser (users.ts) in the same collection; they show up in
 * ListQueues, DescribeQueue and SearchQueues (unless the criteria hold `QueueTypeCondition:
 * STANDARD`) but cannot be changed or deleted here. Their ARN is `…/queue/agent/<id>`, as on the service.
 * `OutboundCallerIdNumberId` is stored as given, unchecked. `OutboundEmailConfig.OutboundEmailAddressId`
 * must be an e-mail address of the instance (ResourceNotFoundException otherwise; id or ARN, stored
 * as the id), as the queue sends from it. The queue e-mail-address associations
 * (`EmailAddressesConfig`, Associate/DisassociateQueueEmailAddresses) are not modelled and are rejected.
 */
import type {
  AssociateQueueQuickConnectsRequest,
  ContactFlowType,
  CreateQueueRequest,
  CreateQueueResponse,
  DeleteQueueRequest,
  DescribeQueueRequest,
  DescribeQueueResponse,
  DisassociateQueueQuickConnectsRequest,
  ListQueueQuickConnectsRequest,
  ListQueueQuickConnectsResponse,
  ListQueuesRequest,
  ListQueuesResponse,
  OutboundCallerConfig,
  OutboundEmailConfig,
  Queue,
  QueueSummary,
  QueueType,
  QuickConnectSummary,
  SearchQueuesRequest,
  SearchQueuesResponse,
  UpdateQueueHoursOfOperationRequest,
  UpdateQueueMaxContactsRequest,
  UpdateQueueNameRequest,
  UpdateQueueOutboundCallerConfigRequest,
  UpdateQueueOutboundEmailConfigRequest,
  UpdateQueueStatusRequest,
} from '@aws-sdk/client-connect';
import { inUse, invalidParameter, invalidRequest } from '../errors.js';
import type { FlowRecord, InstanceState, QueueRecord, QuickConnectRecord } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage, tagsOf } from './context.js';
import { requireEmailAddress } from './email-addresses.js';
import { assertSearchFields, matchesCriteria, matchesFilter, type SearchCriteria } from './search.js';

const LIST_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 500;
const QUICK_CONNECTS_PAGE_MAX = 100;
/** FieldNames SearchQueues supports (model docs of QueueSearchCriteria). */
const SEARCH_FIELDS = ['name', 'description', 'resourceID'] as const;

/**
 * The type of a stored queue. AGENT queue records are written by CreateUser with `QueueType: 'AGENT'`
 * beside the API entity (the `Queue` shape has no type member) and an internal `agent-queue/` name.
 */
export function queueTypeOf(record: QueueRecord): QueueType {
  const declared = (record.entity as Queue & { QueueType?: QueueType }).QueueType;
  if (declared) return declared;
  return record.name.startsWith('agent-queue/') ? 'AGENT' : 'STANDARD';
}

/**
 * Finds a STANDARD queue by id or ARN, for references that only accept one (routing-profile queue
 * configs and default outbound queue, QUEUE quick connects).
 * @throws ConnectError ResourceNotFoundException (404) when missing; InvalidParameterException (400)
 *   for an AGENT queue.
 */
export function requireStandardQueue(instance: InstanceState, idOrArn: string, member: string): QueueRecord {
  const queue = instance.queues.require(idOrArn);
  if (queueTypeOf(queue) !== 'STANDARD') {
    throw invalidParameter(`${member} ${idOrArn} is an AGENT queue; a STANDARD queue is required.`);
  }
  return queue;
}

/**
 * Finds a flow by id or ARN and checks its type, as the references to flows of one kind require.
 * @throws ConnectError ResourceNotFoundException (404) when missing; InvalidParameterException (400)
 *   when the flow has another type.
 */
export function requireFlowOfType(
  instance: InstanceState,
  idOrArn: string,
  type: ContactFlowType | undefined,
  member: string,
): FlowRecord {
  const flow = instance.flows.require(idOrArn);
  if (type && flow.entity.Type !== type) {
    throw invalidParameter(`${member} ${idOrArn} is a ${flow.entity.Type} flow; a ${type} flow is required.`);
  }
  return flow;
}

/** Sets `LastModifiedTime`/`LastModifiedRegion` after a change of the entity's own fields. */
/**
 * An outbound e-mail config whose address is one of the instance's (stored by id).
 * @throws ConnectError ResourceNotFoundException (404) for an address the instance does not have.
 */
function outboundEmailConfig(
  instance: InstanceState,
  config: OutboundEmailConfig | undefined,
): OutboundEmailConfig | undefined {
  if (!config) return undefined;
  if (config.OutboundEmailAddressId === undefined) return {};
  return { OutboundEmailAddressId: requireEmailAddress(instance, config.OutboundEmailAddressId).id };
}

function touch(ctx: RequestContext, instance: InstanceState, entity: Queue): void {
  entity.LastModifiedTime = ctx.world.tick();
  entity.LastModifiedRegion = instance.region;
}

function summary(record: QueueRecord): QueueSummary {
  return {
    Id: record.id,
    Arn: record.arn,
    Name: record.entity.Name,
    QueueType: queueTypeOf(record),
    LastModifiedTime: record.entity.LastModifiedTime,
    LastModifiedRegion: record.entity.LastModifiedRegion,
  };
}

/** The quick-connect summary shared by ListQueueQuickConnects (and the shape of ListQuickConnects). */
export function quickConnectSummary(record: QuickConnectRecord): QuickConnectSummary {
  return {
    Id: record.id,
    Arn: record.arn,
    Name: record.entity.Name,
    QuickConnectType: record.entity.QuickConnectConfig?.QuickConnectType,
    LastModifiedTime: record.entity.LastModifiedTime,
    LastModifiedRegion: record.entity.LastModifiedRegion,
  };
}

/** A STANDARD queue to change; AGENT queues are managed with their user. */
function requireChangeable(instance: InstanceState, idOrArn: string): QueueRecord {
  const queue = instance.queues.require(idOrArn);
  if (queueTypeOf(queue) === 'AGENT') {
    throw invalidRequest(`Queue ${idOrArn} is an AGENT queue; agent queues cannot be changed.`);
  }
  return queue;
}

/** Checks the flow of an outbound caller config and stores references as ids. */
function outboundCallerConfig(instance: InstanceState, config: OutboundCallerConfig): OutboundCallerConfig {
  const out: OutboundCallerConfig = { ...config };
  if (config.OutboundFlowId !== undefined) {
    out.OutboundFlowId = requireFlowOfType(
      instance,
      config.OutboundFlowId,
      'OUTBOUND_WHISPER',
      'OutboundCallerConfig.OutboundFlowId',
    ).id;
  }
  return out;
}

/** Resolves quick-connect ids or ARNs to ids, de-duplicated, in the given order. */
function quickConnectIds(instance: InstanceState, ids: readonly string[]): string[] {
  const resolved = ids.map((id) => instance.quickConnects.require(id).id);
  return [...new Set(resolved)];
}

/** Why a queue cannot be deleted, or undefined when nothing references it. */
function referenceTo(instance: InstanceState, queue: QueueRecord): string | undefined {
  const refersTo = (id: string | undefined) => id === queue.id || id === queue.arn;
  for (const profile of instance.routingProfiles.all()) {
    if (
      refersTo(profile.entity.DefaultOutboundQueueId) ||
      profile.queueConfigs.some((c) => refersTo(c.QueueId)) ||
      (profile.manualAssignmentQueueConfigs ?? []).some((c) => refersTo(c.QueueId))
    ) {
      return `routing profile ${profile.id}`;
    }
  }
  const quickConnect = instance.quickConnects
    .all()
    .find((q) => refersTo(q.entity.QuickConnectConfig?.QueueConfig?.QueueId));
  return quickConnect ? `quick connect ${quickConnect.id}` : undefined;
}

/** Search criteria without the queue-type condition, which holds for every STANDARD queue. */
function withoutQueueType(criteria: SearchCriteria | undefined): SearchCriteria | undefined {
  if (!criteria) return undefined;
  const out: SearchCriteria = Object.fromEntries(
    Object.entries(criteria).filter(([key]) => key !== 'QueueTypeCondition'),
  );
  if (criteria.AndConditions)
    out.AndConditions = criteria.AndConditions.map((c) => withoutQueueType(c) ?? {});
  if (criteria.OrConditions) out.OrConditions = criteria.OrConditions.map((c) => withoutQueueType(c) ?? {});
  return out;
}

type QueueCriteria = SearchCriteria & { QueueTypeCondition?: string };

/**
 * QueueSearchCriteria: `QueueTypeCondition` (only STANDARD is documented) at any level, beside the
 * string conditions; without one, AGENT queues match too. An AGENT queue has no name, so a name
 * condition never matches it (its record's internal name is not the queue's).
 */
function matchesQueueCriteria(record: QueueRecord, criteria: QueueCriteria | undefined): boolean {
  const agent = queueTypeOf(record) === 'AGENT';
  return matchesCriteria<QueueCriteria>(record, criteria, {
    field: (condition) => (agent && condition.FieldName?.toLowerCase() === 'name' ? false : undefined),
    own: (c) => c.QueueTypeCondition === undefined || queueTypeOf(record) === c.QueueTypeCondition,
  });
}

/** Handlers of the queue operations (see the module comment for what is not modelled). */
export const queueHandlers: HandlerTable = {
  ListQueues(ctx: RequestContext, input: ListQueuesRequest): ListQueuesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const types = input.QueueTypes ?? [];
    const queues = instance.queues
      .all()
      .filter((q) => types.length === 0 || types.includes(queueTypeOf(q)))
      .map(summary);
    const { page, NextToken } = paginate(
      queues,
      input,
      `ListQueues/${instance.id}/${[...types].sort().join(',')}`,
      LIST_PAGE_MAX,
    );
    return { QueueSummaryList: page, NextToken };
  },

  DescribeQueue(ctx: RequestContext, input: DescribeQueueRequest): DescribeQueueResponse {
    const instance = ctx.instance(input.InstanceId!);
    return { Queue: structuredClone(instance.queues.require(input.QueueId!).entity) };
  },

  SearchQueues(ctx: RequestContext, input: SearchQueuesRequest): SearchQueuesResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertSearchFields(withoutQueueType(input.SearchCriteria as SearchCriteria | undefined), SEARCH_FIELDS);
    const matches = instance.queues
      .searchable()
      .filter(
        (q) =>
          matchesQueueCriteria(q, input.SearchCriteria as QueueCriteria | undefined) &&
          matchesFilter(q.entity.Tags, input.SearchFilter),
      );
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchQueues',
      instance.id,
      matches,
      input,
      SEARCH_PAGE_MAX,
    );
    return { Queues: page.map((q) => structuredClone(q.entity)), NextToken, ApproximateTotalCount };
  },

  CreateQueue(ctx: RequestContext, input: CreateQueueRequest): CreateQueueResponse {
    const instance = ctx.instance(input.InstanceId!);
    instance.queues.assertNameFree(input.Name!);
    if (input.EmailAddressesConfig) {
      throw invalidRequest('The Connect emulator does not model email addresses: omit EmailAddressesConfig.');
    }
    const hours = instance.hoursOfOperations.require(input.HoursOfOperationId!);
    const callerConfig = input.OutboundCallerConfig
      ? outboundCallerConfig(instance, input.OutboundCallerConfig)
      : undefined;
    const links = quickConnectIds(instance, input.QuickConnectIds ?? []);
    const id = ctx.world.newId();
    const arn = instance.arnFor('queue', id);
    const entity: Queue = {
      Name: input.Name,
      QueueArn: arn,
      QueueId: id,
      Description: input.Description,
      OutboundCallerConfig: callerConfig,
      OutboundEmailConfig: outboundEmailConfig(instance, input.OutboundEmailConfig),
      HoursOfOperationId: hours.id,
      MaxContacts: input.MaxContacts,
      Status: 'ENABLED',
      Tags: tagsOf(input.Tags),
    };
    touch(ctx, instance, entity);
    instance.queues.add({ id, arn, name: input.Name!, entity, quickConnectIds: links });
    return { QueueId: id, QueueArn: arn };
  },

  UpdateQueueName(ctx: RequestContext, input: UpdateQueueNameRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const queue = requireChangeable(instance, input.QueueId!);
    if (input.Name === undefined && input.Description === undefined) {
      throw invalidParameter('Give Name, Description or both.');
    }
    if (input.Name !== undefined) {
      instance.queues.rename(queue, input.Name);
      queue.entity.Name = input.Name;
    }
    if (input.Description !== undefined) queue.entity.Description = input.Description;
    touch(ctx, instance, queue.entity);
    return {};
  },

  UpdateQueueHoursOfOperation(
    ctx: RequestContext,
    input: UpdateQueueHoursOfOperationRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const queue = requireChangeable(instance, input.QueueId!);
    queue.entity.HoursOfOperationId = instance.hoursOfOperations.require(input.HoursOfOperationId!).id;
    touch(ctx, instance, queue.entity);
    return {};
  },

  UpdateQueueMaxContacts(ctx: RequestContext, input: UpdateQueueMaxContactsRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const queue = requireChangeable(instance, input.QueueId!);
    if (input.MaxContacts === undefined) delete queue.entity.MaxContacts;
    else queue.entity.MaxContacts = input.MaxContacts;
    touch(ctx, instance, queue.entity);
    return {};
  },

  UpdateQueueOutboundCallerConfig(
    ctx: RequestContext,
    input: UpdateQueueOutboundCallerConfigRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const queue = requireChangeable(instance, input.QueueId!);
    queue.entity.OutboundCallerConfig = outboundCallerConfig(instance, input.OutboundCallerConfig!);
    touch(ctx, instance, queue.entity);
    return {};
  },

  UpdateQueueOutboundEmailConfig(
    ctx: RequestContext,
    input: UpdateQueueOutboundEmailConfigRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const queue = requireChangeable(instance, input.QueueId!);
    queue.entity.OutboundEmailConfig = outboundEmailConfig(instance, input.OutboundEmailConfig) ?? {};
    touch(ctx, instance, queue.entity);
    return {};
  },

  UpdateQueueStatus(ctx: RequestContext, input: UpdateQueueStatusRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const queue = requireChangeable(instance, input.QueueId!);
    queue.entity.Status = input.Status;
    touch(ctx, instance, queue.entity);
    return {};
  },

  /** Links quick connects to a queue; an existing link is kept. Does not move LastModifiedTime. */
  AssociateQueueQuickConnects(
    ctx: RequestContext,
    input: AssociateQueueQuickConnectsRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const queue = requireChangeable(instance, input.QueueId!);
    for (const id of quickConnectIds(instance, input.QuickConnectIds!)) {
      if (!queue.quickConnectIds.includes(id)) queue.quickConnectIds.push(id);
    }
    return {};
  },

  /** Unlinks quick connects; ones not linked are ignored. Does not move LastModifiedTime. */
  DisassociateQueueQuickConnects(
    ctx: RequestContext,
    input: DisassociateQueueQuickConnectsRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const queue = requireChangeable(instance, input.QueueId!);
    const remove = new Set(quickConnectIds(instance, input.QuickConnectIds!));
    queue.quickConnectIds = queue.quickConnectIds.filter((id) => !remove.has(id));
    return {};
  },

  ListQueueQuickConnects(
    ctx: RequestContext,
    input: ListQueueQuickConnectsRequest,
  ): ListQueueQuickConnectsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const queue = instance.queues.require(input.QueueId!);
    const linked = queue.quickConnectIds
      .map((id) => instance.quickConnects.find(id))
      .filter((q): q is QuickConnectRecord => q !== undefined)
      .map(quickConnectSummary);
    const { page, NextToken } = paginate(
      linked,
      input,
      `ListQueueQuickConnects/${instance.id}/${queue.id}`,
      QUICK_CONNECTS_PAGE_MAX,
    );
    return {
      QuickConnectSummaryList: page,
      NextToken,
      LastModifiedTime: queue.entity.LastModifiedTime,
      LastModifiedRegion: queue.entity.LastModifiedRegion,
    };
  },

  DeleteQueue(ctx: RequestContext, input: DeleteQueueRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const queue = instance.queues.require(input.QueueId!);
    if (queueTypeOf(queue) === 'AGENT') {
      throw invalidRequest(`Queue ${input.QueueId} is an AGENT queue; agent queues cannot be deleted.`);
    }
    const by = referenceTo(instance, queue);
    if (by) throw inUse('Queue', queue.id, by);
    instance.queues.remove(queue);
    return {};
  },
};
