/**
 * Routing profiles and their queue configs: ListRoutingProfiles, DescribeRoutingProfile,
 * SearchRoutingProfiles, CreateRoutingProfile, UpdateRoutingProfileName,
 * UpdateRoutingProfileConcurrency, UpdateRoutingProfileDefaultOutboundQueue,
 * UpdateRoutingProfileAgentAvailabilityTimer, UpdateRoutingProfileQueues,
 * AssociateRoutingProfileQueues, DisassociateRoutingProfileQueues, ListRoutingProfileQueues,
 * ListRoutingProfileManualAssignmentQueues, DeleteRoutingProfile.
 *
 * Queue configs are an association list with their own operations: changing them does not move the
 * profile's `LastModifiedTime`. As documented, Describe does not populate `AssociatedQueueIds` and
 * Search does not populate `LastModifiedTime`, `LastModifiedRegion`, `AgentAvailabilityTimer` and
 * `MediaConcurrencies[].CrossChannelBehavior`.
 */
import type {
  AssociateRoutingProfileQueuesRequest,
  Channel,
  CreateRoutingProfileRequest,
  CreateRoutingProfileResponse,
  DeleteRoutingProfileRequest,
  DescribeRoutingProfileRequest,
  DescribeRoutingProfileResponse,
  DisassociateRoutingProfileQueuesRequest,
  ListRoutingProfileManualAssignmentQueuesRequest,
  ListRoutingProfileManualAssignmentQueuesResponse,
  ListRoutingProfileQueuesRequest,
  ListRoutingProfileQueuesResponse,
  ListRoutingProfilesRequest,
  ListRoutingProfilesResponse,
  MediaConcurrency,
  RoutingProfile,
  RoutingProfileManualAssignmentQueueConfig,
  RoutingProfileManualAssignmentQueueConfigSummary,
  RoutingProfileQueueConfig,
  RoutingProfileQueueConfigSummary,
  RoutingProfileQueueReference,
  RoutingProfileSummary,
  SearchRoutingProfilesRequest,
  SearchRoutingProfilesResponse,
  UpdateRoutingProfileAgentAvailabilityTimerRequest,
  UpdateRoutingProfileConcurrencyRequest,
  UpdateRoutingProfileDefaultOutboundQueueRequest,
  UpdateRoutingProfileNameRequest,
  UpdateRoutingProfileQueuesRequest,
} from '@aws-sdk/client-connect';
import { inUse, invalidParameter, invalidRequest } from '../errors.js';
import type { InstanceState, RoutingProfileRecord } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage, tagsOf } from './context.js';
import { requireStandardQueue } from './queues.js';
import { assertSearchFields, matchesCriteria, matchesFilter, type SearchCriteria } from './search.js';

const LIST_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 500;
const QUEUES_PAGE_MAX = 100;
/** Queue references DisassociateRoutingProfileQueues takes per call (API reference). */
const DISASSOCIATE_MAX = 10;
/** Service quota "Queues per routing profile" (queue + channel combinations), 2024 default. */
const QUEUE_CONFIGS_MAX = 100;
/** FieldNames SearchRoutingProfiles supports (model docs of RoutingProfileSearchCriteria). */
const SEARCH_FIELDS = ['associatedQueueIds', 'name', 'description', 'resourceID'] as const;
/** The maximum concurrency per channel where it is lower than the model's 10 (MediaConcurrency docs). */
const CHANNEL_CONCURRENCY_MAX: Partial<Record<Channel, number>> = { VOICE: 1 };

/** Sets `LastModifiedTime`/`LastModifiedRegion` after a change of the entity's own fields. */
function touch(ctx: RequestContext, instance: InstanceState, entity: RoutingProfile): void {
  entity.LastModifiedTime = ctx.world.tick();
  entity.LastModifiedRegion = instance.region;
}

function summary(record: RoutingProfileRecord): RoutingProfileSummary {
  return {
    Id: record.id,
    Arn: record.arn,
    Name: record.entity.Name,
    LastModifiedTime: record.entity.LastModifiedTime,
    LastModifiedRegion: record.entity.LastModifiedRegion,
  };
}

function manualConfigs(record: RoutingProfileRecord): RoutingProfileManualAssignmentQueueConfigSummary[] {
  record.manualAssignmentQueueConfigs ??= [];
  return record.manualAssignmentQueueConfigs;
}

/** Distinct queue ids in association order. */
function queueIdsOf(configs: ReadonlyArray<{ QueueId?: string }>): string[] {
  return [...new Set(configs.map((c) => c.QueueId!))];
}

/** Users whose routing profile is this one. */
function usersOf(instance: InstanceState, record: RoutingProfileRecord): number {
  return instance.users
    .all()
    .filter((u) => u.entity.RoutingProfileId === record.id || u.entity.RoutingProfileId === record.arn)
    .length;
}

/** The entity with the counts Describe and Search compute from the association lists. */
function withCounts(instance: InstanceState, record: RoutingProfileRecord): RoutingProfile {
  return {
    ...structuredClone(record.entity),
    NumberOfAssociatedQueues: record.queueConfigs.length,
    NumberOfAssociatedManualAssignmentQueues: manualConfigs(record).length,
    NumberOfAssociatedUsers: usersOf(instance, record),
  };
}

/** What SearchRoutingProfiles returns for one profile (see the module comment). */
function searchItem(instance: InstanceState, record: RoutingProfileRecord): RoutingProfile {
  const {
    LastModifiedTime: _time,
    LastModifiedRegion: _region,
    AgentAvailabilityTimer: _timer,
    ...rest
  } = withCounts(instance, record);
  return {
    ...rest,
    MediaConcurrencies: rest.MediaConcurrencies?.map(({ CrossChannelBehavior: _behavior, ...m }) => m),
    AssociatedQueueIds: queueIdsOf(record.queueConfigs),
    AssociatedManualAssignmentQueueIds: queueIdsOf(manualConfigs(record)),
  };
}

/**
 * Evaluates routing-profile search criteria: `associatedQueueIds` matches when any associated queue
 * id satisfies the condition; other fields go to the shared matcher.
 */
function matchesProfile(record: RoutingProfileRecord, criteria: SearchCriteria | undefined): boolean {
  return matchesCriteria(record, criteria, {
    field: (condition) => {
      if (condition.FieldName?.toLowerCase() !== 'associatedqueueids') return undefined;
      const asId = { StringCondition: { ...condition, FieldName: 'resourceID' } };
      return queueIdsOf(record.queueConfigs).some((id) => matchesCriteria({ ...record, id }, asId));
    },
  });
}

/**
 * Checks media concurrencies (one entry per channel, VOICE at most 1, a concurrency or workload
 * concurrencies per channel) and fills in the default cross-channel behaviour.
 * @throws ConnectError InvalidParameterException (400)
 */
function mediaConcurrencies(input: readonly MediaConcurrency[]): MediaConcurrency[] {
  if (input.length === 0) throw invalidParameter('MediaConcurrencies must name at least one channel.');
  const seen = new Set<string>();
  return input.map((m) => {
    const channel = m.Channel!;
    if (seen.has(channel)) throw invalidParameter(`MediaConcurrencies names channel ${channel} twice.`);
    seen.add(channel);
    if (m.Concurrency === undefined && !m.WorkloadTypeConcurrencies) {
      throw invalidParameter(`MediaConcurrencies for ${channel} needs a Concurrency.`);
    }
    const max = CHANNEL_CONCURRENCY_MAX[channel];
    if (max !== undefined && m.Concurrency !== undefined && m.Concurrency > max) {
      throw invalidParameter(`Concurrency for ${channel} must be at most ${max}.`);
    }
    return {
      ...structuredClone(m),
      CrossChannelBehavior: m.CrossChannelBehavior ?? { BehaviorType: 'ROUTE_CURRENT_CHANNEL_ONLY' },
    };
  });
}

const pairKey = (queueId: string, channel: string | undefined) => `${queueId}/${channel}`;

/** Resolves a queue reference to the stored (STANDARD) queue. */
function resolveReference(instance: InstanceState, reference: RoutingProfileQueueReference) {
  return requireStandardQueue(instance, reference.QueueId!, 'QueueReference.QueueId');
}

/**
 * Builds new queue-config summaries, rejecting unknown or AGENT queues, pairs already associated and
 * pairs named twice, and a total above the quota.
 */
function newQueueConfigs(
  instance: InstanceState,
  existing: readonly RoutingProfileQueueConfigSummary[],
  configs: readonly RoutingProfileQueueConfig[],
): RoutingProfileQueueConfigSummary[] {
  const taken = new Set(existing.map((c) => pairKey(c.QueueId!, c.Channel)));
  const added = configs.map((config) => {
    const queue = resolveReference(instance, config.QueueReference!);
    const channel = config.QueueReference!.Channel;
    const key = pairKey(queue.id, channel);
    if (taken.has(key)) {
      throw invalidParameter(`Queue ${queue.id} is already associated on channel ${channel}.`);
    }
    taken.add(key);
    return {
      QueueId: queue.id,
      QueueArn: queue.arn,
      QueueName: queue.entity.Name,
      Priority: config.Priority,
      Delay: config.Delay,
      Channel: channel,
    };
  });
  if (existing.length + added.length > QUEUE_CONFIGS_MAX) {
    throw invalidRequest(`A routing profile can have at most ${QUEUE_CONFIGS_MAX} queue configs.`);
  }
  return added;
}

/** As `newQueueConfigs`, for manual-assignment queues (CHAT, TASK and EMAIL only). */
function newManualConfigs(
  instance: InstanceState,
  existing: readonly RoutingProfileManualAssignmentQueueConfigSummary[],
  configs: readonly RoutingProfileManualAssignmentQueueConfig[],
): RoutingProfileManualAssignmentQueueConfigSummary[] {
  const taken = new Set(existing.map((c) => pairKey(c.QueueId!, c.Channel)));
  const added = configs.map((config) => {
    const queue = resolveReference(instance, config.QueueReference!);
    const channel = config.QueueReference!.Channel;
    if (channel === 'VOICE') throw invalidParameter('Manual assignment does not support the VOICE channel.');
    const key = pairKey(queue.id, channel);
    if (taken.has(key)) {
      throw invalidParameter(`Queue ${queue.id} is already associated for manual assignment on ${channel}.`);
    }
    taken.add(key);
    return { QueueId: queue.id, QueueArn: queue.arn, QueueName: queue.entity.Name, Channel: channel };
  });
  if (existing.length + added.length > QUEUE_CONFIGS_MAX) {
    throw invalidRequest(
      `A routing profile can have at most ${QUEUE_CONFIGS_MAX} manual-assignment queue configs.`,
    );
  }
  return added;
}

/** Keys of the given references (queue id or ARN resolved to the id; unknown queues kept as given). */
function referenceKeys(
  instance: InstanceState,
  references: readonly RoutingProfileQueueReference[],
): Set<string> {
  return new Set(
    references.map((r) => pairKey(instance.queues.find(r.QueueId!)?.id ?? r.QueueId!, r.Channel)),
  );
}

/** Config summaries with the queue's current name and ARN (a queue may have been renamed). */
function current<T extends { QueueId?: string; QueueArn?: string; QueueName?: string }>(
  instance: InstanceState,
  configs: readonly T[],
): T[] {
  return configs.map((c) => {
    const queue = instance.queues.find(c.QueueId!);
    return { ...c, QueueArn: queue?.arn ?? c.QueueArn, QueueName: queue?.entity.Name ?? c.QueueName };
  });
}

/** Handlers of the routing-profile operations (see the module comment). */
export const routingProfileHandlers: HandlerTable = {
  ListRoutingProfiles(ctx: RequestContext, input: ListRoutingProfilesRequest): ListRoutingProfilesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { page, NextToken } = paginate(
      instance.routingProfiles.all().map(summary),
      input,
      `ListRoutingProfiles/${instance.id}`,
      LIST_PAGE_MAX,
    );
    return { RoutingProfileSummaryList: page, NextToken };
  },

  DescribeRoutingProfile(
    ctx: RequestContext,
    input: DescribeRoutingProfileRequest,
  ): DescribeRoutingProfileResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.routingProfiles.require(input.RoutingProfileId!);
    return { RoutingProfile: withCounts(instance, record) };
  },

  SearchRoutingProfiles(
    ctx: RequestContext,
    input: SearchRoutingProfilesRequest,
  ): SearchRoutingProfilesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const criteria = input.SearchCriteria as SearchCriteria | undefined;
    assertSearchFields(criteria, SEARCH_FIELDS);
    const matches = instance.routingProfiles
      .searchable()
      .filter((r) => matchesProfile(r, criteria) && matchesFilter(r.entity.Tags, input.SearchFilter));
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchRoutingProfiles',
      instance.id,
      matches,
      input,
      SEARCH_PAGE_MAX,
    );
    return { RoutingProfiles: page.map((r) => searchItem(instance, r)), NextToken, ApproximateTotalCount };
  },

  CreateRoutingProfile(
    ctx: RequestContext,
    input: CreateRoutingProfileRequest,
  ): CreateRoutingProfileResponse {
    const instance = ctx.instance(input.InstanceId!);
    instance.routingProfiles.assertNameFree(input.Name!);
    const media = mediaConcurrencies(input.MediaConcurrencies!);
    const outbound = requireStandardQueue(instance, input.DefaultOutboundQueueId!, 'DefaultOutboundQueueId');
    const queueConfigs = newQueueConfigs(instance, [], input.QueueConfigs ?? []);
    const manual = newManualConfigs(instance, [], input.ManualAssignmentQueueConfigs ?? []);
    const id = ctx.world.newId();
    const arn = instance.arnFor('routing-profile', id);
    const entity: RoutingProfile = {
      InstanceId: instance.id,
      Name: input.Name,
      RoutingProfileArn: arn,
      RoutingProfileId: id,
      Description: input.Description,
      MediaConcurrencies: media,
      DefaultOutboundQueueId: outbound.id,
      Tags: tagsOf(input.Tags),
      AgentAvailabilityTimer: input.AgentAvailabilityTimer ?? 'TIME_SINCE_LAST_ACTIVITY',
      IsDefault: false,
    };
    touch(ctx, instance, entity);
    instance.routingProfiles.add({
      id,
      arn,
      name: input.Name!,
      entity,
      queueConfigs,
      manualAssignmentQueueConfigs: manual,
    });
    return { RoutingProfileId: id, RoutingProfileArn: arn };
  },

  UpdateRoutingProfileName(
    ctx: RequestContext,
    input: UpdateRoutingProfileNameRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.routingProfiles.require(input.RoutingProfileId!);
    if (input.Name === undefined && input.Description === undefined) {
      throw invalidParameter('Give Name, Description or both.');
    }
    if (input.Name !== undefined) {
      instance.routingProfiles.rename(record, input.Name);
      record.entity.Name = input.Name;
    }
    if (input.Description !== undefined) record.entity.Description = input.Description;
    touch(ctx, instance, record.entity);
    return {};
  },

  /** Replaces the media concurrencies with the given list. */
  UpdateRoutingProfileConcurrency(
    ctx: RequestContext,
    input: UpdateRoutingProfileConcurrencyRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.routingProfiles.require(input.RoutingProfileId!);
    record.entity.MediaConcurrencies = mediaConcurrencies(input.MediaConcurrencies!);
    touch(ctx, instance, record.entity);
    return {};
  },

  UpdateRoutingProfileDefaultOutboundQueue(
    ctx: RequestContext,
    input: UpdateRoutingProfileDefaultOutboundQueueRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.routingProfiles.require(input.RoutingProfileId!);
    record.entity.DefaultOutboundQueueId = requireStandardQueue(
      instance,
      input.DefaultOutboundQueueId!,
      'DefaultOutboundQueueId',
    ).id;
    touch(ctx, instance, record.entity);
    return {};
  },

  UpdateRoutingProfileAgentAvailabilityTimer(
    ctx: RequestContext,
    input: UpdateRoutingProfileAgentAvailabilityTimerRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.routingProfiles.require(input.RoutingProfileId!);
    record.entity.AgentAvailabilityTimer = input.AgentAvailabilityTimer;
    touch(ctx, instance, record.entity);
    return {};
  },

  /** Changes priority and delay of associated configs. Does not move LastModifiedTime. */
  UpdateRoutingProfileQueues(
    ctx: RequestContext,
    input: UpdateRoutingProfileQueuesRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.routingProfiles.require(input.RoutingProfileId!);
    const updates = input.QueueConfigs!.map((config) => {
      const queue = resolveReference(instance, config.QueueReference!);
      const channel = config.QueueReference!.Channel;
      const target = record.queueConfigs.find((c) => c.QueueId === queue.id && c.Channel === channel);
      if (!target) {
        throw invalidParameter(`Queue ${queue.id} is not associated on channel ${channel}.`);
      }
      return { target, config };
    });
    for (const { target, config } of updates) {
      target.Priority = config.Priority;
      target.Delay = config.Delay;
    }
    return {};
  },

  /** Adds queue configs (up to 10 per call). Does not move LastModifiedTime. */
  AssociateRoutingProfileQueues(
    ctx: RequestContext,
    input: AssociateRoutingProfileQueuesRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.routingProfiles.require(input.RoutingProfileId!);
    if (!input.QueueConfigs && !input.ManualAssignmentQueueConfigs) {
      throw invalidParameter('Give QueueConfigs or ManualAssignmentQueueConfigs.');
    }
    const added = newQueueConfigs(instance, record.queueConfigs, input.QueueConfigs ?? []);
    const manual = newManualConfigs(
      instance,
      manualConfigs(record),
      input.ManualAssignmentQueueConfigs ?? [],
    );
    record.queueConfigs.push(...added);
    manualConfigs(record).push(...manual);
    return {};
  },

  /** Removes queue configs (up to 10 per call); pairs not associated are ignored. */
  DisassociateRoutingProfileQueues(
    ctx: RequestContext,
    input: DisassociateRoutingProfileQueuesRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.routingProfiles.require(input.RoutingProfileId!);
    const references = input.QueueReferences ?? [];
    const manualReferences = input.ManualAssignmentQueueReferences ?? [];
    if (references.length > DISASSOCIATE_MAX || manualReferences.length > DISASSOCIATE_MAX) {
      throw invalidParameter(`At most ${DISASSOCIATE_MAX} queue references can be disassociated per call.`);
    }
    const remove = referenceKeys(instance, references);
    const removeManual = referenceKeys(instance, manualReferences);
    record.queueConfigs = record.queueConfigs.filter((c) => !remove.has(pairKey(c.QueueId!, c.Channel)));
    record.manualAssignmentQueueConfigs = manualConfigs(record).filter(
      (c) => !removeManual.has(pairKey(c.QueueId!, c.Channel)),
    );
    return {};
  },

  ListRoutingProfileQueues(
    ctx: RequestContext,
    input: ListRoutingProfileQueuesRequest,
  ): ListRoutingProfileQueuesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.routingProfiles.require(input.RoutingProfileId!);
    const { page, NextToken } = paginate(
      current(instance, record.queueConfigs),
      input,
      `ListRoutingProfileQueues/${instance.id}/${record.id}`,
      QUEUES_PAGE_MAX,
    );
    return {
      RoutingProfileQueueConfigSummaryList: page,
      NextToken,
      LastModifiedTime: record.entity.LastModifiedTime,
      LastModifiedRegion: record.entity.LastModifiedRegion,
    };
  },

  ListRoutingProfileManualAssignmentQueues(
    ctx: RequestContext,
    input: ListRoutingProfileManualAssignmentQueuesRequest,
  ): ListRoutingProfileManualAssignmentQueuesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.routingProfiles.require(input.RoutingProfileId!);
    const { page, NextToken } = paginate(
      current(instance, manualConfigs(record)),
      input,
      `ListRoutingProfileManualAssignmentQueues/${instance.id}/${record.id}`,
      QUEUES_PAGE_MAX,
    );
    return {
      RoutingProfileManualAssignmentQueueConfigSummaryList: page,
      NextToken,
      LastModifiedTime: record.entity.LastModifiedTime,
      LastModifiedRegion: record.entity.LastModifiedRegion,
    };
  },

  DeleteRoutingProfile(ctx: RequestContext, input: DeleteRoutingProfileRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.routingProfiles.require(input.RoutingProfileId!);
    if (record.entity.IsDefault) {
      throw inUse('Routing profile', record.id, 'the instance (it is the default routing profile)');
    }
    const user = instance.users
      .all()
      .find((u) => u.entity.RoutingProfileId === record.id || u.entity.RoutingProfileId === record.arn);
    if (user) throw inUse('Routing profile', record.id, `user ${user.id}`);
    instance.routingProfiles.remove(record);
    return {};
  },
};
