/**
 * Hours of operation: ListHoursOfOperations, DescribeHoursOfOperation, SearchHoursOfOperations,
 * CreateHoursOfOperation, UpdateHoursOfOperation, DeleteHoursOfOperation.
 *
 * Validation beyond the model is deliberately conservative: names are unique per instance and
 * nothing else about `TimeZone` or `Config` is checked (the real service's rules on overlapping or
 * overnight slices are not documented). Overrides, parent hours (`ParentHoursOfOperationConfigs`,
 * Associate/DisassociateHoursOfOperations, ListChildHoursOfOperations) and
 * GetEffectiveHoursOfOperations are not modelled.
 */
import type {
  CreateHoursOfOperationRequest,
  CreateHoursOfOperationResponse,
  DeleteHoursOfOperationRequest,
  DescribeHoursOfOperationRequest,
  DescribeHoursOfOperationResponse,
  HoursOfOperation,
  HoursOfOperationSummary,
  ListHoursOfOperationsRequest,
  ListHoursOfOperationsResponse,
  SearchHoursOfOperationsRequest,
  SearchHoursOfOperationsResponse,
  UpdateHoursOfOperationRequest,
} from '@aws-sdk/client-connect';
import { inUse, invalidRequest } from '../errors.js';
import type { HoursOfOperationRecord, InstanceState } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage, tagsOf } from './context.js';
import { assertSearchFields, matchesCriteria, matchesFilter } from './search.js';

const LIST_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 100;
/** FieldNames SearchHoursOfOperations supports (model docs of HoursOfOperationSearchCriteria). */
const SEARCH_FIELDS = ['name', 'description', 'timezone', 'resourceID'] as const;

function summary(record: HoursOfOperationRecord): HoursOfOperationSummary {
  return {
    Id: record.id,
    Arn: record.arn,
    Name: record.name,
    LastModifiedTime: record.entity.LastModifiedTime,
    LastModifiedRegion: record.entity.LastModifiedRegion,
  };
}

/** The first STANDARD queue whose hours are this record, if any. */
function queueUsing(instance: InstanceState, record: HoursOfOperationRecord): string | undefined {
  const queue = instance.queues
    .all()
    .find((q) => q.entity.HoursOfOperationId === record.id || q.entity.HoursOfOperationId === record.arn);
  return queue?.id;
}

/** Handlers of the hours-of-operation operations (see the module comment for what is not modelled). */
export const hoursOfOperationHandlers: HandlerTable = {
  ListHoursOfOperations(
    ctx: RequestContext,
    input: ListHoursOfOperationsRequest,
  ): ListHoursOfOperationsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { page, NextToken } = paginate(
      instance.hoursOfOperations.all().map(summary),
      input,
      `ListHoursOfOperations/${instance.id}`,
      LIST_PAGE_MAX,
    );
    return { HoursOfOperationSummaryList: page, NextToken };
  },

  DescribeHoursOfOperation(
    ctx: RequestContext,
    input: DescribeHoursOfOperationRequest,
  ): DescribeHoursOfOperationResponse {
    const record = ctx.instance(input.InstanceId!).hoursOfOperations.require(input.HoursOfOperationId!);
    return { HoursOfOperation: structuredClone(record.entity) };
  },

  SearchHoursOfOperations(
    ctx: RequestContext,
    input: SearchHoursOfOperationsRequest,
  ): SearchHoursOfOperationsResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertSearchFields(input.SearchCriteria, SEARCH_FIELDS);
    const matches = instance.hoursOfOperations
      .searchable()
      .filter(
        (r) => matchesCriteria(r, input.SearchCriteria) && matchesFilter(r.entity.Tags, input.SearchFilter),
      );
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchHoursOfOperations',
      instance.id,
      matches,
      input,
      SEARCH_PAGE_MAX,
    );
    return {
      HoursOfOperations: page.map((r) => structuredClone(r.entity)),
      NextToken,
      ApproximateTotalCount,
    };
  },

  CreateHoursOfOperation(
    ctx: RequestContext,
    input: CreateHoursOfOperationRequest,
  ): CreateHoursOfOperationResponse {
    const instance = ctx.instance(input.InstanceId!);
    if (input.ParentHoursOfOperationConfigs?.length) {
      throw invalidRequest(
        'The Connect emulator does not model parent hours (ParentHoursOfOperationConfigs).',
      );
    }
    instance.hoursOfOperations.assertNameFree(input.Name!);
    const id = ctx.world.newId();
    const arn = instance.arnFor('operating-hours', id);
    const entity: HoursOfOperation = {
      HoursOfOperationId: id,
      HoursOfOperationArn: arn,
      Name: input.Name!,
      ...(input.Description !== undefined && { Description: input.Description }),
      TimeZone: input.TimeZone!,
      Config: structuredClone(input.Config!),
      Tags: tagsOf(input.Tags),
      LastModifiedTime: ctx.world.tick(),
      LastModifiedRegion: instance.region,
    };
    instance.hoursOfOperations.add({ id, arn, name: input.Name!, entity });
    return { HoursOfOperationId: id, HoursOfOperationArn: arn };
  },

  /**
   * UpdateHoursOfOperation: changes Name (409 when taken), Description (an empty string removes it),
   * TimeZone and Config (replaced as a whole). Moves LastModifiedTime when any of them is given.
   */
  UpdateHoursOfOperation(ctx: RequestContext, input: UpdateHoursOfOperationRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.hoursOfOperations.require(input.HoursOfOperationId!);
    const entity = record.entity;
    if (input.Name !== undefined) {
      instance.hoursOfOperations.rename(record, input.Name);
      entity.Name = input.Name;
    }
    if (input.Description !== undefined) {
      if (input.Description === '') delete entity.Description;
      else entity.Description = input.Description;
    }
    if (input.TimeZone !== undefined) entity.TimeZone = input.TimeZone;
    if (input.Config !== undefined) entity.Config = structuredClone(input.Config);
    const changed = [input.Name, input.Description, input.TimeZone, input.Config].some(
      (v) => v !== undefined,
    );
    if (changed) {
      entity.LastModifiedTime = ctx.world.tick();
      entity.LastModifiedRegion = instance.region;
    }
    return {};
  },

  /** DeleteHoursOfOperation: 409 ResourceInUseException while a queue uses the hours. */
  DeleteHoursOfOperation(ctx: RequestContext, input: DeleteHoursOfOperationRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.hoursOfOperations.require(input.HoursOfOperationId!);
    const queueId = queueUsing(instance, record);
    if (queueId !== undefined) throw inUse('Hours of operation', record.id, `queue ${queueId}`);
    instance.hoursOfOperations.remove(record);
    return {};
  },
};
