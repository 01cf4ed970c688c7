/**
 * Quick connects: ListQuickConnects, DescribeQuickConnect, SearchQuickConnects, CreateQuickConnect,
 * UpdateQuickConnectConfig, UpdateQuickConnectName, DeleteQuickConnect.
 *
 * The config must carry exactly the sub-config of its type. References are checked: USER → an
 * existing user and an AGENT_TRANSFER flow, QUEUE → an existing STANDARD queue and a QUEUE_TRANSFER
 * flow (the flow types the model's docs name), FLOW → an existing flow of any type, PHONE_NUMBER →
 * an E.164 number. Queue links live on the queue (queues.ts); deleting a quick connect removes them.
 */
import type {
  CreateQuickConnectRequest,
  CreateQuickConnectResponse,
  DeleteQuickConnectRequest,
  DescribeQuickConnectRequest,
  DescribeQuickConnectResponse,
  ListQuickConnectsRequest,
  ListQuickConnectsResponse,
  QuickConnect,
  QuickConnectConfig,
  SearchQuickConnectsRequest,
  SearchQuickConnectsResponse,
  UpdateQuickConnectConfigRequest,
  UpdateQuickConnectNameRequest,
} from '@aws-sdk/client-connect';
import { invalidParameter } from '../errors.js';
import type { InstanceState } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage, tagsOf } from './context.js';
import { quickConnectSummary, requireFlowOfType, requireStandardQueue } from './queues.js';
import { assertSearchFields, matchesCriteria, matchesFilter, type SearchCriteria } from './search.js';

const LIST_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 100;
/** FieldNames SearchQuickConnects supports (model docs of QuickConnectSearchCriteria). */
const SEARCH_FIELDS = ['name', 'description', 'resourceID'] as const;
/** E.164, as the model's (double-escaped) PhoneNumber pattern means it. */
const E164 = /^\+[1-9]\d{1,14}$/;

/** The sub-config member each quick-connect type needs. */
const CONFIG_MEMBER = {
  USER: 'UserConfig',
  QUEUE: 'QueueConfig',
  PHONE_NUMBER: 'PhoneConfig',
  FLOW: 'FlowConfig',
} as const;

/** Sets `LastModifiedTime`/`LastModifiedRegion` after a change of the entity's own fields. */
function touch(ctx: RequestContext, instance: InstanceState, entity: QuickConnect): void {
  entity.LastModifiedTime = ctx.world.tick();
  entity.LastModifiedRegion = instance.region;
}

/**
 * Checks a quick-connect config against its type and the instance, and returns it with references
 * stored as ids.
 * @throws ConnectError InvalidParameterException (400) for a missing or extra sub-config, a wrong
 *   flow type or a malformed phone number; ResourceNotFoundException (404) for a missing reference.
 */
function checkedConfig(instance: InstanceState, config: QuickConnectConfig): QuickConnectConfig {
  const type = config.QuickConnectType!;
  const member = CONFIG_MEMBER[type];
  for (const other of Object.values(CONFIG_MEMBER)) {
    if (other !== member && config[other] !== undefined) {
      throw invalidParameter(`A ${type} quick connect takes ${member} only, not ${other}.`);
    }
  }
  if (config[member] === undefined) throw invalidParameter(`A ${type} quick connect needs ${member}.`);
  switch (type) {
    case 'USER': {
      const { UserId, ContactFlowId } = config.UserConfig!;
      return {
        QuickConnectType: type,
        UserConfig: {
          UserId: instance.users.require(UserId!).id,
          ContactFlowId: requireFlowOfType(
            instance,
            ContactFlowId!,
            'AGENT_TRANSFER',
            'UserConfig.ContactFlowId',
          ).id,
        },
      };
    }
    case 'QUEUE': {
      const { QueueId, ContactFlowId } = config.QueueConfig!;
      return {
        QuickConnectType: type,
        QueueConfig: {
          QueueId: requireStandardQueue(instance, QueueId!, 'QueueConfig.QueueId').id,
          ContactFlowId: requireFlowOfType(
            instance,
            ContactFlowId!,
            'QUEUE_TRANSFER',
            'QueueConfig.ContactFlowId',
          ).id,
        },
      };
    }
    case 'PHONE_NUMBER': {
      const { PhoneNumber } = config.PhoneConfig!;
      if (!E164.test(PhoneNumber!)) {
        throw invalidParameter(`PhoneConfig.PhoneNumber must be in E.164 format: ${PhoneNumber}`);
      }
      return { QuickConnectType: type, PhoneConfig: { PhoneNumber } };
    }
    case 'FLOW':
      return {
        QuickConnectType: type,
        FlowConfig: {
          ContactFlowId: requireFlowOfType(
            instance,
            config.FlowConfig!.ContactFlowId!,
            undefined,
            'FlowConfig.ContactFlowId',
          ).id,
        },
      };
    default:
      throw invalidParameter(`Unsupported QuickConnectType ${type}`);
  }
}

/** Handlers of the quick-connect operations (see the module comment). */
export const quickConnectHandlers: HandlerTable = {
  ListQuickConnects(ctx: RequestContext, input: ListQuickConnectsRequest): ListQuickConnectsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const types = input.QuickConnectTypes ?? [];
    const items = instance.quickConnects
      .all()
      .filter((q) => types.length === 0 || types.includes(q.entity.QuickConnectConfig!.QuickConnectType!))
      .map(quickConnectSummary);
    const { page, NextToken } = paginate(
      items,
      input,
      `ListQuickConnects/${instance.id}/${[...types].sort().join(',')}`,
      LIST_PAGE_MAX,
    );
    return { QuickConnectSummaryList: page, NextToken };
  },

  DescribeQuickConnect(
    ctx: RequestContext,
    input: DescribeQuickConnectRequest,
  ): DescribeQuickConnectResponse {
    const instance = ctx.instance(input.InstanceId!);
    return { QuickConnect: structuredClone(instance.quickConnects.require(input.QuickConnectId!).entity) };
  },

  SearchQuickConnects(ctx: RequestContext, input: SearchQuickConnectsRequest): SearchQuickConnectsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const criteria = input.SearchCriteria as SearchCriteria | undefined;
    assertSearchFields(criteria, SEARCH_FIELDS);
    const matches = instance.quickConnects
      .searchable()
      .filter((q) => matchesCriteria(q, criteria) && matchesFilter(q.entity.Tags, input.SearchFilter));
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchQuickConnects',
      instance.id,
      matches,
      input,
      SEARCH_PAGE_MAX,
    );
    return { QuickConnects: page.map((q) => structuredClone(q.entity)), NextToken, ApproximateTotalCount };
  },

  CreateQuickConnect(ctx: RequestContext, input: CreateQuickConnectRequest): CreateQuickConnectResponse {
    const instance = ctx.instance(input.InstanceId!);
    instance.quickConnects.assertNameFree(input.Name!);
    const config = checkedConfig(instance, input.QuickConnectConfig!);
    const id = ctx.world.newId();
    const arn = instance.arnFor('transfer-destination', id);
    const entity: QuickConnect = {
      QuickConnectARN: arn,
      QuickConnectId: id,
      Name: input.Name,
      Description: input.Description,
      QuickConnectConfig: config,
      Tags: tagsOf(input.Tags),
    };
    touch(ctx, instance, entity);
    instance.quickConnects.add({ id, arn, name: input.Name!, entity });
    return { QuickConnectId: id, QuickConnectARN: arn };
  },

  UpdateQuickConnectConfig(
    ctx: RequestContext,
    input: UpdateQuickConnectConfigRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.quickConnects.require(input.QuickConnectId!);
    record.entity.QuickConnectConfig = checkedConfig(instance, input.QuickConnectConfig!);
    touch(ctx, instance, record.entity);
    return {};
  },

  /** Renames and/or re-describes; an empty Description (allowed here, 0..250) removes it. */
  UpdateQuickConnectName(ctx: RequestContext, input: UpdateQuickConnectNameRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.quickConnects.require(input.QuickConnectId!);
    if (input.Name === undefined && input.Description === undefined) {
      throw invalidParameter('Give Name, Description or both.');
    }
    if (input.Name !== undefined) {
      instance.quickConnects.rename(record, input.Name);
      record.entity.Name = input.Name;
    }
    if (input.Description === '') delete record.entity.Description;
    else if (input.Description !== undefined) record.entity.Description = input.Description;
    touch(ctx, instance, record.entity);
    return {};
  },

  /** Deletes the quick connect and its links from every queue. */
  DeleteQuickConnect(ctx: RequestContext, input: DeleteQuickConnectRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.quickConnects.require(input.QuickConnectId!);
    for (const queue of instance.queues.all()) {
      queue.quickConnectIds = queue.quickConnectIds.filter((id) => id !== record.id);
    }
    instance.quickConnects.remove(record);
    return {};
  },
};
