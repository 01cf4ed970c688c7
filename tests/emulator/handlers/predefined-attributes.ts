/**
 * Predefined attributes: ListPredefinedAttributes, DescribePredefinedAttribute,
 * SearchPredefinedAttributes, CreatePredefinedAttribute, UpdatePredefinedAttribute,
 * DeletePredefinedAttribute.
 *
 * A predefined attribute is keyed by its Name: it has no id, no ARN and no tags
 * (connect-api-facts.md, "Predefined attributes"). The API model checks lengths (Name 1..100, at most
 * 500 values of 1..100 characters, at most 10 purposes). Rules from the docs: names are unique
 * (DuplicateResourceException), a name may not start with `aws:` or `connect:` (reserved for the
 * system: new-instance-defaults.md, "Predefined attributes"; InvalidParameterException), an instance holds at most 25 (the default quota, "Predefined
 * attributes per instance"; LimitExceededException), and an attribute that a user proficiency uses
 * cannot be deleted (ResourceInUseException).
 *
 * Eventual consistency (propagation.ts) applies as to every resource: for the delay after a create,
 * the attribute is not found (Describe, Update, Delete, a proficiency naming it) and Search does not
 * return it; after an update, Search keeps returning it as it was.
 *
 * Choices where the real service's behaviour is undocumented:
 * - UpdatePredefinedAttribute replaces each member it is given and leaves the others; it does not
 *   check that a value it drops is unused by proficiencies (the docs name no error for it).
 * - `AttributeConfiguration.IsReadOnly` is output-only: the emulator never sets it.
 * - SearchPredefinedAttributes supports the StringCondition field `name`.
 */
import type {
  CreatePredefinedAttributeRequest,
  DeletePredefinedAttributeRequest,
  DescribePredefinedAttributeRequest,
  DescribePredefinedAttributeResponse,
  ListPredefinedAttributesRequest,
  ListPredefinedAttributesResponse,
  PredefinedAttribute,
  PredefinedAttributeSummary,
  SearchPredefinedAttributesRequest,
  SearchPredefinedAttributesResponse,
  UpdatePredefinedAttributeRequest,
} from '@aws-sdk/client-connect';
import { ConnectError, duplicate, inUse, invalidParameter, notFound } from '../errors.js';
import type { InstanceState, StoredResource } from '../state.js';
import { type HandlerTable, paginate, type RequestContext, searchPage } from './context.js';
import { assertSearchFields, matchesCriteria } from './search.js';

const PAGE_MAX = 100;
/** Predefined attributes per instance (Connect's default quota). */
export const MAX_PREDEFINED_ATTRIBUTES_PER_INSTANCE = 25;
/** Name prefixes reserved for the system's attributes. */
export const RESERVED_PREFIXES = ['aws:', 'connect:'] as const;
/** FieldNames SearchPredefinedAttributes supports in the emulator. */
const SEARCH_FIELDS = ['name'] as const;

/**
 * The predefined attribute of a name.
 * @throws ConnectError ResourceNotFoundException (404) when the instance has none of that name.
 */
export function requirePredefinedAttribute(instance: InstanceState, name: string): PredefinedAttribute {
  const found = findPredefinedAttribute(instance, name);
  if (!found) throw notFound('Predefined attribute', name);
  return found;
}

/** The predefined attribute of a name, unless it was created moments ago and has not propagated. */
export function findPredefinedAttribute(
  instance: InstanceState,
  name: string,
): PredefinedAttribute | undefined {
  const found = instance.predefinedAttributes.get(name);
  return found && (instance.propagation?.visible(found) ?? true) ? found : undefined;
}

function summary(attribute: PredefinedAttribute): PredefinedAttributeSummary {
  return {
    Name: attribute.Name,
    LastModifiedTime: attribute.LastModifiedTime,
    LastModifiedRegion: attribute.LastModifiedRegion,
  };
}

/** The attribute as the common Search criteria see a record: its name is its id. */
function searchRecord(attribute: PredefinedAttribute): StoredResource<PredefinedAttribute> {
  const name = attribute.Name ?? '';
  return { id: name, arn: name, name, entity: attribute };
}

/** The users whose proficiencies use the attribute, for ResourceInUseException. */
function usersOf(instance: InstanceState, name: string): string[] {
  return instance.users
    .all()
    .filter((user) => (user.proficiencies ?? []).some((p) => p.AttributeName === name))
    .map((user) => user.name);
}

/** Handlers of the predefined-attribute operations (see the module comment for the rules). */
export const predefinedAttributeHandlers: HandlerTable = {
  ListPredefinedAttributes(
    ctx: RequestContext,
    input: ListPredefinedAttributesRequest,
  ): ListPredefinedAttributesResponse {
    const instance = ctx.instance(input.InstanceId!);
    const { page, NextToken } = paginate(
      [...instance.predefinedAttributes.values()].map(summary),
      input,
      `ListPredefinedAttributes/${instance.id}`,
      PAGE_MAX,
    );
    return { PredefinedAttributeSummaryList: page, NextToken };
  },

  DescribePredefinedAttribute(
    ctx: RequestContext,
    input: DescribePredefinedAttributeRequest,
  ): DescribePredefinedAttributeResponse {
    const attribute = requirePredefinedAttribute(ctx.instance(input.InstanceId!), input.Name!);
    return { PredefinedAttribute: structuredClone(attribute) };
  },

  SearchPredefinedAttributes(
    ctx: RequestContext,
    input: SearchPredefinedAttributesRequest,
  ): SearchPredefinedAttributesResponse {
    const instance = ctx.instance(input.InstanceId!);
    assertSearchFields(input.SearchCriteria, SEARCH_FIELDS);
    const matches = [...instance.predefinedAttributes.values()]
      .map((a) => (instance.propagation ? instance.propagation.searchView(a) : a))
      .filter((a): a is PredefinedAttribute => a !== undefined)
      .filter((a) => matchesCriteria(searchRecord(a), input.SearchCriteria));
    const { page, NextToken, ApproximateTotalCount } = searchPage(
      'SearchPredefinedAttributes',
      instance.id,
      matches,
      input,
      PAGE_MAX,
    );
    return { PredefinedAttributes: page.map((a) => structuredClone(a)), NextToken, ApproximateTotalCount };
  },

  /** CreatePredefinedAttribute: a unique name (409) without a reserved prefix (400), at most 25 per instance (429). */
  CreatePredefinedAttribute(
    ctx: RequestContext,
    input: CreatePredefinedAttributeRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const name = input.Name!;
    const reserved = RESERVED_PREFIXES.find((prefix) => name.toLowerCase().startsWith(prefix));
    if (reserved) throw invalidParameter(`A predefined attribute name may not start with "${reserved}".`);
    if (instance.predefinedAttributes.has(name)) throw duplicate('Predefined attribute', name);
    if (instance.predefinedAttributes.size >= MAX_PREDEFINED_ATTRIBUTES_PER_INSTANCE) {
      throw new ConnectError(
        'LimitExceededException',
        `An instance can have at most ${MAX_PREDEFINED_ATTRIBUTES_PER_INSTANCE} predefined attributes.`,
      );
    }
    const attribute: PredefinedAttribute = {
      Name: name,
      ...(input.Values !== undefined && { Values: structuredClone(input.Values) }),
      ...(input.Purposes !== undefined && { Purposes: [...input.Purposes] }),
      ...(input.AttributeConfiguration !== undefined && {
        AttributeConfiguration: { ...input.AttributeConfiguration },
      }),
      LastModifiedTime: ctx.world.tick(),
      LastModifiedRegion: instance.region,
    };
    instance.predefinedAttributes.set(name, attribute);
    instance.propagation?.created(attribute);
    return {};
  },

  /** UpdatePredefinedAttribute: replaces the members given (404 for an unknown name). */
  UpdatePredefinedAttribute(
    ctx: RequestContext,
    input: UpdatePredefinedAttributeRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const attribute = requirePredefinedAttribute(instance, input.Name!);
    instance.propagation?.beforeWrite(attribute);
    if (input.Values !== undefined) attribute.Values = structuredClone(input.Values);
    if (input.Purposes !== undefined) attribute.Purposes = [...input.Purposes];
    if (input.AttributeConfiguration !== undefined) {
      attribute.AttributeConfiguration = { ...input.AttributeConfiguration };
    }
    attribute.LastModifiedTime = ctx.world.tick();
    attribute.LastModifiedRegion = instance.region;
    return {};
  },

  /** DeletePredefinedAttribute: 404 for an unknown name, 409 while a user proficiency uses it. */
  DeletePredefinedAttribute(
    ctx: RequestContext,
    input: DeletePredefinedAttributeRequest,
  ): Record<string, never> {
    const instance = ctx.instance(input.InstanceId!);
    const name = input.Name!;
    requirePredefinedAttribute(instance, name);
    const users = usersOf(instance, name);
    if (users.length) throw inUse('Predefined attribute', name, `the proficiencies of ${users.join(', ')}`);
    instance.predefinedAttributes.delete(name);
    return {};
  },
};
