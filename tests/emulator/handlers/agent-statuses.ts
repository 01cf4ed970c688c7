/**
 * Agent statuses: ListAgentStatuses, DescribeAgentStatus, SearchAgentStatuses, CreateAgentStatus,
 * UpdateAgentStatus. The API has no DeleteAgentStatus.
 *
 * A new instance has two system statuses, "Available" (ROUTABLE) and "Offline" (OFFLINE), which the
 * API cannot create: `addSystemAgentStatuses` puts them into state. CreateAgentStatus makes CUSTOM
 * statuses only. UpdateAgentStatus is permissive about the system statuses (they can be renamed,
 * described, disabled and reordered) but never changes a Type.
 *
 * Choices where the real service's behaviour is undocumented:
 * - `DisplayOrder` is stored as given; omitted, the status has none. Several statuses may share one.
 * - `ResetOrderNumber: true` removes the status's DisplayOrder; giving it together with a
 *   DisplayOrder is contradictory and rejected (400).
 * - The quota of 50 statuses per instance (not adjustable) counts the system statuses.
 */
import type {
  AgentStatus,
  AgentStatusSearchFilter,
  AgentStatusSummary,
  CreateAgentStatusRequest,
  CreateAgentStatusResponse,
  DescribeAgentStatusRequest,
  DescribeAgentStatusResponse,
  ListAgentStatusRequest,
  ListAgentStatusResponse,
  SearchAgentStatusesRequest,
  SearchAgentStatusesResponse,
  UpdateAgentStatusRequest,
} from '@aws-sdk/client-connect';
import { ConnectError, invalidParameter } from '../errors.js';
import type { AgentStatusRecord, InstanceState, World } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage, tagsOf } from './context.js';
import { assertSearchFields, matchesCriteria, matchesFilter, type SearchFilter } from './search.js';

const LIST_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 100;
/** Agent statuses per instance, system statuses included (not adjustable). */
export const MAX_AGENT_STATUSES_PER_INSTANCE = 50;
/** FieldNames SearchAgentStatuses supports (model docs of AgentStatusSearchCriteria). */
const SEARCH_FIELDS = ['name', 'description', 'state', 'type', 'displayOrder', 'resourceID'] as const;

/**
 * The two statuses of a new instance (new-instance-defaults.md §8). Their Description and
 * DisplayOrder were never observed: the order follows the CCP (Available, then Offline) and no
 * description is set.
 */
const SYSTEM_STATUSES = [
  { Name: 'Available', Type: 'ROUTABLE', DisplayOrder: 1 },
  { Name: 'Offline', Type: 'OFFLINE', DisplayOrder: 2 },
] as const;

function summary(record: AgentStatusRecord): AgentStatusSummary {
  return {
    Id: record.id,
    Arn: record.arn,
    Name: record.name,
    Type: record.entity.Type,
    LastModifiedTime: record.entity.LastModifiedTime,
    LastModifiedRegion: record.entity.LastModifiedRegion,
  };
}

function insert(world: World, instance: InstanceState, fields: Omit<AgentStatus, 'AgentStatusId'>): string {
  const id = world.newId();
  const arn = instance.arnFor('agent-state', id);
  const entity: AgentStatus = {
    AgentStatusARN: arn,
    AgentStatusId: id,
    ...fields,
    LastModifiedTime: world.tick(),
    LastModifiedRegion: instance.region,
  };
  instance.agentStatuses.add({ id, arn, name: entity.Name!, entity });
  return id;
}

/**
 * Inserts the system agent statuses a new Connect instance has, "Available" (ROUTABLE, DisplayOrder 1)
 * and "Offline" (OFFLINE, DisplayOrder 2), both ENABLED and untagged, directly into state: the API
 * (CreateAgentStatus) can only create CUSTOM statuses.
 * @throws ConnectError DuplicateResourceException when a status of either name already exists.
 */
export function addSystemAgentStatuses(world: World, instance: InstanceState): void {
  for (const status of SYSTEM_STATUSES) {
    insert(world, instance, { ...status, State: 'ENABLED', Tags: {} });
  }
}

/** The record as Search sees it: DisplayOrder as a string, so StringCondition can match it. */
function searchable(record: AgentStatusRecord): AgentStatusRecord {
  const order = record.entity.DisplayOrder;
  return {
    ...record,
    entity: { ...record.entity, DisplayOrder: order === undefined ? undefined : String(order) },
  } as unknown as AgentStatusRecord;
}

/** SearchAgentStatuses filters by `AttributeFilter` (tags), which has the shape of a TagFilter. */
function asTagFilter(filter: AgentStatusSearchFilter | undefined): SearchFilter | undefined {
  const attributes = filter?.AttributeFilter;
  if (!attributes) return undefined;
  return {
    TagFilter: {
      OrConditions: attributes.OrConditions?.map((c) => c.TagConditions ?? []),
      AndConditions: attributes.AndCondition?.TagConditions,
      TagCondition: attributes.TagCondition,
    },
  };
}

/** Handlers of the agent-status operations (see the module comment for the modelling choices). */
export const agentStatusHandlers: HandlerTable = {
  /** ListAgentStatuses, optionally only the given `AgentStatusTypes`. */
  ListAgentStatuses(ctx: RequestContext, input: ListAgentStatusRequest): ListAgentStatusResponse {
    const instance = ctx.instance(input.InstanceId!);
    const types = input.AgentStatusTypes?.length ? input.AgentStatusTypes : undefined;
    const all = instance.agentStatuses
      .all()
      .filter((r) => !types || (r.entity.Type !== undefined && types.includes(r.entity.Type)));
    const { page, NextToken } = paginate(
      all.map(summary),
      input,
      `ListAgentStatuses/${instance.id}/${types ? [...types].sort().join(',') : '*'}`,
      LIST_PAGE_MAX,
    );
    return { AgentStatusSummaryList: page, NextToken };
  },

  DescribeAgentStatus(ctx: RequestContext, input: DescribeAgentStatusRequest): DescribeAgentStatusResponse {
    const record = ctx.instance(input.InstanceId!).agentStatuses.require(input.AgentStatusId!);
    return { AgentStatus: structuredClone(record.entity) };
  },

  SearchAgentStatuses(ctx: RequestContext, input: SearchAgentStatusesRequest): SearchAgentStatusesResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertSearchFields(input.SearchCriteria, SEARCH_FIELDS);
    const filter = asTagFilter(input.SearchFilter);
    const matches = instance.agentStatuses
      .searchable()
      .filter(
        (r) => matchesCriteria(searchable(r), input.SearchCriteria) && matchesFilter(r.entity.Tags, filter),
      );
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchAgentStatuses',
      instance.id,
      matches,
      input,
      SEARCH_PAGE_MAX,
    );
    return { AgentStatuses: page.map((r) => structuredClone(r.entity)), NextToken, ApproximateTotalCount };
  },

  /**
   * CreateAgentStatus: a CUSTOM status. Name unique (409); at most 50 statuses per instance
   * (LimitExceededException, 429).
   */
  CreateAgentStatus(ctx: RequestContext, input: CreateAgentStatusRequest): CreateAgentStatusResponse {
    const instance = ctx.instance(input.InstanceId!);
    instance.agentStatuses.assertNameFree(input.Name!);
    if (instance.agentStatuses.size >= MAX_AGENT_STATUSES_PER_INSTANCE) {
      throw new ConnectError(
        'LimitExceededException',
        `An instance can have at most ${MAX_AGENT_STATUSES_PER_INSTANCE} agent statuses.`,
      );
    }
    const id = insert(ctx.world, instance, {
      Name: input.Name!,
      ...(input.Description !== undefined && { Description: input.Description }),
      Type: 'CUSTOM',
      ...(input.DisplayOrder !== undefined && { DisplayOrder: input.DisplayOrder }),
      State: input.State!,
      Tags: tagsOf(input.Tags),
    });
    return { AgentStatusId: id, AgentStatusARN: instance.arnFor('agent-state', id) };
  },

  /**
   * UpdateAgentStatus: Name (409 when taken), Description (an empty string removes it), State,
   * DisplayOrder, ResetOrderNumber (removes DisplayOrder). Type never changes. Moves
   * LastModifiedTime when any of them is given.
   */
  UpdateAgentStatus(ctx: RequestContext, input: UpdateAgentStatusRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.agentStatuses.require(input.AgentStatusId!);
    if (input.ResetOrderNumber && input.DisplayOrder !== undefined) {
      throw invalidParameter('Give either DisplayOrder or ResetOrderNumber, not both.');
    }
    const entity = record.entity;
    if (input.Name !== undefined) {
      instance.agentStatuses.rename(record, input.Name);
      entity.Name = input.Name;
    }
    if (input.Description !== undefined) {
      if (input.Description === '') delete entity.Description;
      else entity.Description = input.Description;
    }
    if (input.State !== undefined) entity.State = input.State;
    if (input.DisplayOrder !== undefined) entity.DisplayOrder = input.DisplayOrder;
    if (input.ResetOrderNumber) delete entity.DisplayOrder;
    const given = [input.Name, input.Description, input.State, input.DisplayOrder];
    if (given.some((v) => v !== undefined) || input.ResetOrderNumber === true) {
      entity.LastModifiedTime = ctx.world.tick();
      entity.LastModifiedRegion = instance.region;
    }
    return {};
  },
};
