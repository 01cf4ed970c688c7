/**
 * Contact flows: ListContactFlows, DescribeContactFlow, SearchContactFlows, CreateContactFlow,
 * UpdateContactFlowContent, UpdateContactFlowMetadata, UpdateContactFlowName, DeleteContactFlow.
 *
 * A flow's `entity` is its published view (or, for a flow only ever saved, its saved view). Content
 * saved over a published flow with `<id>:$SAVED` is kept apart as `savedDraft` until the next publish.
 */
import type {
  ContactFlow,
  ContactFlowSearchCriteria,
  ContactFlowSearchFilter,
  ContactFlowSummary,
  CreateContactFlowRequest,
  CreateContactFlowResponse,
  DeleteContactFlowRequest,
  DescribeContactFlowRequest,
  DescribeContactFlowResponse,
  ListContactFlowsRequest,
  ListContactFlowsResponse,
  SearchContactFlowsRequest,
  SearchContactFlowsResponse,
  UpdateContactFlowContentRequest,
  UpdateContactFlowMetadataRequest,
  UpdateContactFlowNameRequest,
} from '@aws-sdk/client-connect';
import { ConnectError, invalidParameter, notFound } from '../errors.js';
import type { FlowRecord, InstanceState } from '../state.js';
import {
  type HandlerTable,
  paginate,
  type RequestContext,
  searchPage,
  sha256Hex,
  tagsOf,
} from './context.js';
import { assertFlowContentPublishable, splitQualifier } from './flow-content.js';
import {
  assertSearchFields,
  matchesCriteria,
  matchesFilter,
  type SearchCriteria,
  type SearchFilter,
} from './search.js';

/** Under the quirk search-lags-deletes: deleted records Search still lists, per instance. */
const deletedButListed = new WeakMap<InstanceState, FlowRecord[]>();

const LIST_PAGE_MAX = 1000;
const SEARCH_PAGE_MAX = 100;
/** Documented content length limits (the model's `ContactFlowContent` shape has none). */
const CONTENT_MIN = 1;
const CONTENT_MAX = 256_000;
const SEARCH_FIELDS = ['name', 'description', 'resourceID'] as const;
const SAVED = '$SAVED';

/**
 * Finds the flow a `ContactFlowId` (id or ARN, optionally `:$SAVED`) names.
 * @throws ConnectError ResourceNotFoundException (404) for an unknown flow, a flow of another instance,
 *   a version qualifier (versions are not modelled) or, unless `allowSaved`, any qualifier.
 */
function resolveFlow(
  instance: InstanceState,
  contactFlowId: string,
  allowSaved: boolean,
): { record: FlowRecord; saved: boolean } {
  const { base, qualifier } = splitQualifier(contactFlowId);
  const saved = qualifier === SAVED;
  const record = instance.flows.find(base);
  if (
    !record ||
    (base.startsWith('arn:') && record.arn !== base) ||
    (qualifier !== undefined && !(saved && allowSaved))
  ) {
    throw notFound(instance.flows.label, contactFlowId);
  }
  return { record, saved };
}

/** @throws ConnectError InvalidParameterException (400) outside the documented 1..256000 characters. */
function checkContentLength(content: string): void {
  if (content.length < CONTENT_MIN || content.length > CONTENT_MAX) {
    throw invalidParameter(
      `Content must be between ${CONTENT_MIN} and ${CONTENT_MAX} characters long (got ${content.length}).`,
    );
  }
}

function touch(ctx: RequestContext, instance: InstanceState, record: FlowRecord): void {
  record.entity.LastModifiedTime = ctx.world.tick();
  record.entity.LastModifiedRegion = instance.region;
}

/** Applies a rename (unique per instance) and a description change, for UpdateContactFlowName/Metadata. */
function renameAndDescribe(
  instance: InstanceState,
  record: FlowRecord,
  name: string | undefined,
  description: string | undefined,
): void {
  if (name !== undefined) {
    instance.flows.rename(record, name);
    record.entity.Name = name;
  }
  if (description !== undefined) record.entity.Description = description;
}

function summary(record: FlowRecord): ContactFlowSummary {
  return {
    Id: record.id,
    Arn: record.arn,
    Name: record.name,
    ContactFlowType: record.entity.Type,
    ContactFlowState: record.entity.State,
    ContactFlowStatus: record.entity.Status,
  };
}

/**
 * The SAVED version of a flow: its unpublished draft where it has one (Status SAVED), else the flow.
 * Answered for `<id>:$SAVED`, and by Search when the criteria ask for `StatusCondition: SAVED`
 * (connect-api-facts.md §11.3 leaves open how the service exposes drafts; this is the emulator's
 * model, and lets a backup find every draft with one Search page instead of a Describe per flow).
 */
function savedView(record: FlowRecord): ContactFlow {
  const flow: ContactFlow = structuredClone(record.entity);
  if (record.savedDraft) {
    flow.Content = record.savedDraft.Content;
    flow.FlowContentSha256 = record.savedDraft.FlowContentSha256;
    flow.LastModifiedTime = record.savedDraft.LastModifiedTime;
    flow.Status = 'SAVED';
  }
  return flow;
}

/** ContactFlowSearchCriteria: string conditions plus TypeCondition/StateCondition/StatusCondition. */
function matchesFlowCriteria(
  record: FlowRecord,
  criteria: ContactFlowSearchCriteria | undefined,
  entity: ContactFlow = record.entity,
): boolean {
  return matchesCriteria(record, criteria, {
    own: (c) =>
      (!c.TypeCondition || entity.Type === c.TypeCondition) &&
      (!c.StateCondition || entity.State === c.StateCondition) &&
      (!c.StatusCondition || entity.Status === c.StatusCondition),
  });
}

/** ContactFlowSearchFilter: TagFilter and FlowAttributeFilter (tag and flow-type conditions). */
function matchesFlowFilter(record: FlowRecord, filter: ContactFlowSearchFilter | undefined): boolean {
  const tags = record.entity.Tags;
  if (!matchesFilter(tags, filter as SearchFilter | undefined)) return false;
  const attributes = filter?.FlowAttributeFilter;
  if (!attributes) return true;
  const typeIs = (type: string | undefined) => type === undefined || record.entity.Type === type;
  const tagsAll = (conditions: Array<{ TagKey?: string; TagValue?: string }> | undefined) =>
    matchesFilter(tags, { TagFilter: { AndConditions: conditions ?? [] } });
  const andHolds = (and: NonNullable<typeof attributes.AndCondition>) =>
    tagsAll(and.TagConditions) && typeIs(and.ContactFlowTypeCondition?.ContactFlowType);
  if (
    attributes.TagCondition &&
    !matchesFilter(tags, { TagFilter: { TagCondition: attributes.TagCondition } })
  ) {
    return false;
  }
  if (!typeIs(attributes.ContactFlowTypeCondition?.ContactFlowType)) return false;
  if (attributes.AndCondition && !andHolds(attributes.AndCondition)) return false;
  if (attributes.OrConditions?.length && !attributes.OrConditions.some(andHolds)) return false;
  return true;
}

/** One Search result: a copy of the view, without `Content` under the quirk search-omits-content. */
function searchResult<T extends { Content?: string }>(ctx: RequestContext, view: T): T {
  const result = structuredClone(view);
  if (ctx.world.quirks.has('search-omits-content')) delete result.Content;
  return result;
}

export const flowHandlers: HandlerTable = {
  /** ListContactFlows: summaries in creation order, optionally filtered by `contactFlowTypes`. */
  ListContactFlows(ctx: RequestContext, input: ListContactFlowsRequest): ListContactFlowsResponse {
    const instance = ctx.instance(input.InstanceId!);
    const types = input.ContactFlowTypes ?? [];
    const all = instance.flows
      .all()
      .filter((r) => types.length === 0 || types.includes(r.entity.Type!))
      .map(summary);
    const { page, NextToken } = paginate(
      all,
      input,
      `ListContactFlows/${instance.id}/${types.join(',')}`,
      LIST_PAGE_MAX,
    );
    return { ContactFlowSummaryList: page, NextToken };
  },

  /**
   * DescribeContactFlow: the published flow for `<id>`; for `<id>:$SAVED` the saved-but-unpublished
   * content when there is any (Status SAVED), else the flow as it is. A flow never published (created
   * or only ever saved with Status SAVED) answers `<id>` with ContactFlowNotPublishedException (404,
   * the model's "The flow has not been published"): only `<id>:$SAVED` reads it.
   */
  DescribeContactFlow(ctx: RequestContext, input: DescribeContactFlowRequest): DescribeContactFlowResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { record, saved } = resolveFlow(instance, input.ContactFlowId!, true);
    if (!saved && record.entity.Status === 'SAVED') {
      throw new ConnectError(
        'ContactFlowNotPublishedException',
        `The flow has not been published: ${input.ContactFlowId}; describe ${record.id}:$SAVED to read it.`,
      );
    }
    const answer = saved ? savedView(record) : structuredClone(record.entity);
    // Quirk describe-omits-content: Describe answers without the content.
    if (ctx.world.quirks.has('describe-omits-content')) delete answer.Content;
    return { ContactFlow: answer };
  },

  /** SearchContactFlows: whole flows (with Content and Tags) matching criteria and filter. */
  SearchContactFlows(ctx: RequestContext, input: SearchContactFlowsRequest): SearchContactFlowsResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertSearchFields(input.SearchCriteria as SearchCriteria | undefined, SEARCH_FIELDS);
    // Quirk search-omits-drafts: a SAVED search finds only what was never published.
    const wantsSaved =
      input.SearchCriteria?.StatusCondition === 'SAVED' && !ctx.world.quirks.has('search-omits-drafts');
    const matches = [...instance.flows.searchable(), ...(deletedButListed.get(instance) ?? [])]
      .map((r) => ({ r, view: wantsSaved ? savedView(r) : r.entity }))
      .filter(
        ({ r, view }) =>
          matchesFlowCriteria(r, input.SearchCriteria, view) && matchesFlowFilter(r, input.SearchFilter),
      );
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchContactFlows',
      instance.id,
      matches,
      input,
      SEARCH_PAGE_MAX,
    );
    return {
      ContactFlows: page.map(({ view }) => searchResult(ctx, view)),
      NextToken,
      ApproximateTotalCount,
    };
  },

  /**
   * CreateContactFlow: `Status` PUBLISHED (the default) validates the content; SAVED stores it as is.
   * @throws ConnectError DuplicateResourceException (409), InvalidContactFlowException (400).
   */
  CreateContactFlow(ctx: RequestContext, input: CreateContactFlowRequest): CreateContactFlowResponse {
    const instance = ctx.instance(input.InstanceId!);
    const content = input.Content!;
    checkContentLength(content);
    instance.flows.assertNameFree(input.Name!);
    const status = input.Status ?? 'PUBLISHED';
    if (status === 'PUBLISHED') assertFlowContentPublishable(instance, content);
    const id = ctx.world.newId();
    const arn = instance.arnFor('contact-flow', id);
    const sha = sha256Hex(content);
    instance.flows.add({
      id,
      arn,
      name: input.Name!,
      entity: {
        Arn: arn,
        Id: id,
        Name: input.Name!,
        Type: input.Type!,
        State: 'ACTIVE',
        Status: status,
        ...(input.Description !== undefined ? { Description: input.Description } : {}),
        Content: content,
        Tags: tagsOf(input.Tags),
        FlowContentSha256: sha,
        LastModifiedTime: ctx.world.tick(),
        LastModifiedRegion: instance.region,
      },
    });
    return { ContactFlowId: id, ContactFlowArn: arn, FlowContentSha256: sha };
  },

  /**
   * UpdateContactFlowContent: for `<id>` validates and publishes (Status PUBLISHED, any saved draft
   * dropped); for `<id>:$SAVED` saves without validation and without publishing.
   * @throws ConnectError InvalidContactFlowException (400) when publishing invalid content.
   */
  UpdateContactFlowContent(
    ctx: RequestContext,
    input: UpdateContactFlowContentRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const { record, saved } = resolveFlow(instance, input.ContactFlowId!, true);
    const content = input.Content!;
    checkContentLength(content);
    const sha = sha256Hex(content);
    if (saved && record.entity.Status === 'PUBLISHED') {
      record.savedDraft = { Content: content, FlowContentSha256: sha, LastModifiedTime: ctx.world.tick() };
      return {};
    }
    if (!saved) {
      assertFlowContentPublishable(instance, content);
      record.entity.Status = 'PUBLISHED';
      delete record.savedDraft;
    }
    record.entity.Content = content;
    record.entity.FlowContentSha256 = sha;
    touch(ctx, instance, record);
    return {};
  },

  /**
   * UpdateContactFlowMetadata: Name, Description and ContactFlowState (archive / unarchive).
   * @throws ConnectError DuplicateResourceException (409) for a taken name.
   */
  UpdateContactFlowMetadata(
    ctx: RequestContext,
    input: UpdateContactFlowMetadataRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const { record } = resolveFlow(instance, input.ContactFlowId!, false);
    renameAndDescribe(instance, record, input.Name, input.Description);
    if (input.ContactFlowState !== undefined) record.entity.State = input.ContactFlowState;
    touch(ctx, instance, record);
    return {};
  },

  /**
   * UpdateContactFlowName: Name and Description.
   * @throws ConnectError DuplicateResourceException (409) for a taken name.
   */
  UpdateContactFlowName(ctx: RequestContext, input: UpdateContactFlowNameRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const { record } = resolveFlow(instance, input.ContactFlowId!, false);
    renameAndDescribe(instance, record, input.Name, input.Description);
    touch(ctx, instance, record);
    return {};
  },

  /** DeleteContactFlow: removes the flow (the API lists no ResourceInUseException). */
  DeleteContactFlow(ctx: RequestContext, input: DeleteContactFlowRequest): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const { record } = resolveFlow(instance, input.ContactFlowId!, false);
    instance.flows.remove(record);
    // Quirk search-lags-deletes: the Search index keeps listing what was deleted.
    if (ctx.world.quirks.has('search-lags-deletes'))
      deletedButListed.set(instance, [...(deletedButListed.get(instance) ?? []), record]);
    return {};
  },
};
