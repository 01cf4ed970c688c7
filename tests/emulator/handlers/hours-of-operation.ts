/**
 * Hours of operation: ListHoursOfOperations, DescribeHoursOfOperation, SearchHoursOfOperations,
 * CreateHoursOfOperation, UpdateHoursOfOperation, DeleteHoursOfOperation; their overrides
 * (List/Describe/Create/Update/DeleteHoursOfOperationOverride); parent hours
 * (`ParentHoursOfOperationConfigs` on create, Associate/DisassociateHoursOfOperations,
 * ListChildHoursOfOperations, `ParentHoursOfOperations` on Describe and Search).
 *
 * Validation beyond the model is deliberately conservative: names are unique per instance and
 * nothing else about `TimeZone` or `Config` is checked (the real service's rules on overlapping or
 * overnight slices are not documented). Overrides: names unique within their hours, at most 50 per
 * hours (admin guide, "Set the hours of operation": not adjustable), `EffectiveFrom` a real date
 * not after `EffectiveTill`; they have no tags and no ARN of their own, and changing them does not
 * move the hours' `LastModifiedTime`. Parent hours: at most 3 (the model's list bound), each an
 * existing hours other than the child; an hours that is a parent cannot be deleted while it has
 * children. GetEffectiveHoursOfOperations and SearchHoursOfOperationOverrides are not modelled.
 */
import type {
  AssociateHoursOfOperationsRequest,
  CreateHoursOfOperationOverrideRequest,
  CreateHoursOfOperationOverrideResponse,
  CreateHoursOfOperationRequest,
  CreateHoursOfOperationResponse,
  DeleteHoursOfOperationOverrideRequest,
  DeleteHoursOfOperationRequest,
  DescribeHoursOfOperationOverrideRequest,
  DescribeHoursOfOperationOverrideResponse,
  DescribeHoursOfOperationRequest,
  DescribeHoursOfOperationResponse,
  DisassociateHoursOfOperationsRequest,
  HoursOfOperation,
  HoursOfOperationOverride,
  HoursOfOperationSummary,
  ListChildHoursOfOperationsRequest,
  ListChildHoursOfOperationsResponse,
  ListHoursOfOperationOverridesRequest,
  ListHoursOfOperationOverridesResponse,
  ListHoursOfOperationsRequest,
  ListHoursOfOperationsResponse,
  SearchHoursOfOperationsRequest,
  SearchHoursOfOperationsResponse,
  UpdateHoursOfOperationOverrideRequest,
  UpdateHoursOfOperationRequest,
} from '@aws-sdk/client-connect';
import { ConnectError, duplicate, inUse, invalidParameter, notFound } from '../errors.js';
import type { HoursOfOperationRecord, InstanceState } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage, tagsOf } from './context.js';
import { assertSearchFields, matchesCriteria, matchesFilter } from './search.js';

const LIST_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 100;
/** ListHoursOfOperationOverrides and ListChildHoursOfOperations pages (model: MaxResult100). */
const SUB_PAGE_MAX = 100;
/** Overrides per hours of operation (admin guide: "up to 50 overrides", not adjustable). */
const OVERRIDES_MAX = 50;
/** Parent hours per hours of operation (the model's ParentHoursOfOperationConfigList bound). */
const PARENTS_MAX = 3;
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

/** The entity as Describe and Search return it: with `ParentHoursOfOperations` when it has parents. */
function view(instance: InstanceState, record: HoursOfOperationRecord): HoursOfOperation {
  const entity = structuredClone(record.entity);
  const parents = (record.parentIds ?? [])
    .map((id) => instance.hoursOfOperations.all().find((h) => h.id === id))
    .filter((h): h is HoursOfOperationRecord => h !== undefined)
    .map((h) => ({ Id: h.id, Arn: h.arn, Name: h.name }));
  return parents.length ? { ...entity, ParentHoursOfOperations: parents } : entity;
}

/** Hours whose parents include this record. */
function childrenOf(instance: InstanceState, record: HoursOfOperationRecord): HoursOfOperationRecord[] {
  return instance.hoursOfOperations.all().filter((h) => h.parentIds?.includes(record.id));
}

/**
 * Resolves parent hours (id or ARN) for `child` (undefined while creating it): each must exist,
 * differ from the child and be named once; with `existing`, the total stays within 3.
 * @throws ConnectError ResourceNotFoundException (404), InvalidParameterException (400),
 *   ServiceQuotaExceededException (402)
 */
function resolveParents(
  instance: InstanceState,
  child: HoursOfOperationRecord | undefined,
  ids: readonly string[],
  existing: readonly string[] = [],
): string[] {
  const out: string[] = [];
  for (const idOrArn of ids) {
    const parent = instance.hoursOfOperations.require(idOrArn);
    if (child && parent.id === child.id) {
      throw invalidParameter(`Hours of operation ${child.id} cannot be its own parent.`);
    }
    if (out.includes(parent.id)) {
      throw invalidParameter(`Parent hours of operation ${parent.id} is named twice.`);
    }
    if (!existing.includes(parent.id)) out.push(parent.id);
  }
  if (existing.length + out.length > PARENTS_MAX) {
    throw new ConnectError(
      'ServiceQuotaExceededException',
      `An hours of operation can have at most ${PARENTS_MAX} parent hours of operation.`,
    );
  }
  return out;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** @throws ConnectError InvalidParameterException (400) unless `value` is a real YYYY-MM-DD date. */
function assertDate(member: string, value: string): void {
  const match = DATE.exec(value);
  const date = match ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw invalidParameter(`${member} ${value} is not a date (YYYY-MM-DD).`);
  }
}

/** @throws ConnectError InvalidParameterException (400) on a bad date or a range that ends before it starts. */
function assertEffectiveRange(from: string, till: string): void {
  assertDate('EffectiveFrom', from);
  assertDate('EffectiveTill', till);
  if (from > till) throw invalidParameter(`EffectiveFrom ${from} is after EffectiveTill ${till}.`);
}

function overridesOf(record: HoursOfOperationRecord): HoursOfOperationOverride[] {
  record.overrides ??= [];
  return record.overrides;
}

/** An override as the API returns it: with the hours' id and ARN. */
function overrideView(record: HoursOfOperationRecord, override: HoursOfOperationOverride) {
  return { ...structuredClone(override), HoursOfOperationId: record.id, HoursOfOperationArn: record.arn };
}

/** @throws ConnectError ResourceNotFoundException (404) */
function requireOverride(record: HoursOfOperationRecord, overrideId: string): HoursOfOperationOverride {
  const found = overridesOf(record).find((o) => o.HoursOfOperationOverrideId === overrideId);
  if (!found) throw notFound('Hours of operation override', overrideId);
  return found;
}

/** @throws ConnectError DuplicateResourceException (409) when another override of the hours has the name. */
function assertOverrideNameFree(record: HoursOfOperationRecord, name: string, exceptId?: string): void {
  const taken = overridesOf(record).some((o) => o.Name === name && o.HoursOfOperationOverrideId !== exceptId);
  if (taken) throw duplicate('Hours of operation override', name);
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
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.hoursOfOperations.require(input.HoursOfOperationId!);
    return { HoursOfOperation: view(instance, record) };
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
      HoursOfOperations: page.map((r) => view(instance, r)),
      NextToken,
      ApproximateTotalCount,
    };
  },

  CreateHoursOfOperation(
    ctx: RequestContext,
    input: CreateHoursOfOperationRequest,
  ): CreateHoursOfOperationResponse {
    const instance = ctx.instance(input.InstanceId!);
    instance.hoursOfOperations.assertNameFree(input.Name!);
    const parentIds = resolveParents(
      instance,
      undefined,
      (input.ParentHoursOfOperationConfigs ?? []).map((c) => c.HoursOfOperationId ?? ''),
    );
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
    instance.hoursOfOperations.add({
      id,
      arn,
      name: input.Name!,
      entity,
      ...(parentIds.length ? { parentIds } : {}),
    });
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

  /**
   * DeleteHoursOfOperation: 409 ResourceInUseException while a queue uses the hours or while it is
   * the parent of other hours.
   */
  DeleteHoursOfOperation(ctx: RequestContext, input: DeleteHoursOfOperationRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.hoursOfOperations.require(input.HoursOfOperationId!);
    const queueId = queueUsing(instance, record);
    if (queueId !== undefined) throw inUse('Hours of operation', record.id, `queue ${queueId}`);
    const child = childrenOf(instance, record)[0];
    if (child) throw inUse('Hours of operation', record.id, `child hours of operation ${child.id}`);
    instance.hoursOfOperations.remove(record);
    return {};
  },

  /** Links parent hours (their overrides apply to the child); parents already linked are ignored. */
  AssociateHoursOfOperations(
    ctx: RequestContext,
    input: AssociateHoursOfOperationsRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.hoursOfOperations.require(input.HoursOfOperationId!);
    const added = resolveParents(
      instance,
      record,
      input.ParentHoursOfOperationConfigs!.map((c) => c.HoursOfOperationId ?? ''),
      record.parentIds ?? [],
    );
    record.parentIds = [...(record.parentIds ?? []), ...added];
    return {};
  },

  /** Unlinks parent hours (id or ARN); ids not linked are ignored. */
  DisassociateHoursOfOperations(
    ctx: RequestContext,
    input: DisassociateHoursOfOperationsRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.hoursOfOperations.require(input.HoursOfOperationId!);
    const remove = new Set(
      input.ParentHoursOfOperationIds!.map((id) => instance.hoursOfOperations.find(id)?.id ?? id),
    );
    const kept = (record.parentIds ?? []).filter((id) => !remove.has(id));
    if (kept.length) record.parentIds = kept;
    else delete record.parentIds;
    return {};
  },

  ListChildHoursOfOperations(
    ctx: RequestContext,
    input: ListChildHoursOfOperationsRequest,
  ): ListChildHoursOfOperationsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.hoursOfOperations.require(input.HoursOfOperationId!);
    const { page, NextToken } = paginate(
      childrenOf(instance, record).map((h) => ({ Id: h.id, Arn: h.arn, Name: h.name })),
      input,
      `ListChildHoursOfOperations/${instance.id}/${record.id}`,
      SUB_PAGE_MAX,
    );
    return {
      ChildHoursOfOperationsSummaryList: page,
      NextToken,
      LastModifiedTime: record.entity.LastModifiedTime,
      LastModifiedRegion: record.entity.LastModifiedRegion,
    };
  },

  ListHoursOfOperationOverrides(
    ctx: RequestContext,
    input: ListHoursOfOperationOverridesRequest,
  ): ListHoursOfOperationOverridesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.hoursOfOperations.require(input.HoursOfOperationId!);
    const { page, NextToken } = paginate(
      overridesOf(record).map((o) => overrideView(record, o)),
      input,
      `ListHoursOfOperationOverrides/${instance.id}/${record.id}`,
      SUB_PAGE_MAX,
    );
    return {
      HoursOfOperationOverrideList: page,
      NextToken,
      LastModifiedTime: record.entity.LastModifiedTime,
      LastModifiedRegion: record.entity.LastModifiedRegion,
    };
  },

  DescribeHoursOfOperationOverride(
    ctx: RequestContext,
    input: DescribeHoursOfOperationOverrideRequest,
  ): DescribeHoursOfOperationOverrideResponse {
    const record = ctx.instance(input.InstanceId!).hoursOfOperations.require(input.HoursOfOperationId!);
    const override = requireOverride(record, input.HoursOfOperationOverrideId!);
    return { HoursOfOperationOverride: overrideView(record, override) };
  },

  /**
   * CreateHoursOfOperationOverride: 409 when the hours has an override of that name, 429
   * LimitExceededException beyond 50, 400 on a date range that is not one.
   */
  CreateHoursOfOperationOverride(
    ctx: RequestContext,
    input: CreateHoursOfOperationOverrideRequest,
  ): CreateHoursOfOperationOverrideResponse {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.hoursOfOperations.require(input.HoursOfOperationId!);
    assertOverrideNameFree(record, input.Name!);
    assertEffectiveRange(input.EffectiveFrom!, input.EffectiveTill!);
    if (overridesOf(record).length >= OVERRIDES_MAX) {
      throw new ConnectError(
        'LimitExceededException',
        `An hours of operation can have at most ${OVERRIDES_MAX} overrides.`,
      );
    }
    const id = ctx.world.newId();
    overridesOf(record).push({
      HoursOfOperationOverrideId: id,
      Name: input.Name!,
      ...(input.Description !== undefined && { Description: input.Description }),
      Config: structuredClone(input.Config!),
      EffectiveFrom: input.EffectiveFrom!,
      EffectiveTill: input.EffectiveTill!,
      ...(input.RecurrenceConfig && { RecurrenceConfig: structuredClone(input.RecurrenceConfig) }),
      OverrideType: input.OverrideType ?? 'STANDARD',
    });
    return { HoursOfOperationOverrideId: id };
  },

  /** UpdateHoursOfOperationOverride: replaces the members given; the resulting range must hold. */
  UpdateHoursOfOperationOverride(
    ctx: RequestContext,
    input: UpdateHoursOfOperationOverrideRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const record = instance.hoursOfOperations.require(input.HoursOfOperationId!);
    const override = requireOverride(record, input.HoursOfOperationOverrideId!);
    if (input.Name !== undefined)
      assertOverrideNameFree(record, input.Name, override.HoursOfOperationOverrideId);
    assertEffectiveRange(
      input.EffectiveFrom ?? override.EffectiveFrom!,
      input.EffectiveTill ?? override.EffectiveTill!,
    );
    if (input.Name !== undefined) override.Name = input.Name;
    if (input.Description !== undefined) override.Description = input.Description;
    if (input.Config !== undefined) override.Config = structuredClone(input.Config);
    if (input.EffectiveFrom !== undefined) override.EffectiveFrom = input.EffectiveFrom;
    if (input.EffectiveTill !== undefined) override.EffectiveTill = input.EffectiveTill;
    if (input.RecurrenceConfig !== undefined)
      override.RecurrenceConfig = structuredClone(input.RecurrenceConfig);
    if (input.OverrideType !== undefined) override.OverrideType = input.OverrideType;
    return {};
  },

  DeleteHoursOfOperationOverride(
    ctx: RequestContext,
    input: DeleteHoursOfOperationOverrideRequest,
  ): Record<string, never> {
    const record = ctx.instance(input.InstanceId!).hoursOfOperations.require(input.HoursOfOperationId!);
    const override = requireOverride(record, input.HoursOfOperationOverrideId!);
    record.overrides = overridesOf(record).filter((o) => o !== override);
    return {};
  },
};
