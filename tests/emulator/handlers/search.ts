/**
 * Connect's Search* criteria, evaluated against stored resources: `StringCondition` (EXACT,
 * STARTS_WITH, CONTAINS) on a field, nested `AndConditions` / `OrConditions`, and the `TagFilter`
 * of `SearchFilter`. Type-specific conditions (e.g. `QueueTypeCondition`) are applied by the caller.
 */
import { invalidParameter } from '../errors.js';
import type { StoredResource } from '../state.js';

export interface StringCondition {
  FieldName?: string;
  Value?: string;
  ComparisonType?: string;
}

export interface SearchCriteria {
  StringCondition?: StringCondition;
  AndConditions?: SearchCriteria[];
  OrConditions?: SearchCriteria[];
}

interface TagCondition {
  TagKey?: string;
  TagValue?: string;
}

export interface SearchFilter {
  TagFilter?: {
    OrConditions?: TagCondition[][];
    AndConditions?: TagCondition[];
    TagCondition?: TagCondition;
  };
}

function fieldValue(record: StoredResource<unknown>, field: string): string | undefined {
  const lower = field.toLowerCase();
  if (lower === 'resourceid' || lower === 'id') return record.id;
  if (lower === 'name' || lower === 'username') return record.name;
  const entity = record.entity as Record<string, unknown>;
  for (const [key, value] of Object.entries(entity)) {
    if (key.toLowerCase() === lower && typeof value === 'string') return value;
  }
  const identity = entity.IdentityInfo as Record<string, unknown> | undefined;
  if (identity) {
    for (const [key, value] of Object.entries(identity)) {
      if (key.toLowerCase() === lower && typeof value === 'string') return value;
    }
  }
  return undefined;
}

function matchString(record: StoredResource<unknown>, condition: StringCondition): boolean {
  if (!condition.FieldName || condition.Value === undefined) {
    throw invalidParameter('StringCondition needs FieldName and Value.');
  }
  const actual = fieldValue(record, condition.FieldName);
  if (actual === undefined) return false;
  const a = actual.toLowerCase();
  const v = condition.Value.toLowerCase();
  switch (condition.ComparisonType ?? 'EXACT') {
    case 'EXACT':
      return actual === condition.Value;
    case 'STARTS_WITH':
      return a.startsWith(v);
    case 'CONTAINS':
      return a.includes(v);
    default:
      throw invalidParameter(`Unsupported ComparisonType ${condition.ComparisonType}`);
  }
}

/** Criteria that nest: a StringCondition, and And/Or lists of the same criteria type. */
export interface NestedCriteria<C> {
  StringCondition?: StringCondition;
  AndConditions?: C[];
  OrConditions?: C[];
}

/** How one Search operation extends the common criteria. */
export interface CriteriaHooks<C> {
  /** Decides a StringCondition on a field of its own (e.g. `parentId`); `undefined` leaves it to the common fields. */
  field?(condition: StringCondition): boolean | undefined;
  /** The level's type-specific conditions (TypeCondition, HierarchyGroupCondition, …). */
  own?(criteria: C): boolean;
}

/**
 * True when the record satisfies the criteria (no criteria matches everything): at each level its
 * StringCondition, its own conditions, every AndCondition and at least one OrCondition.
 */
export function matchesCriteria<C extends NestedCriteria<C>>(
  record: StoredResource<unknown>,
  criteria: C | undefined,
  hooks: CriteriaHooks<C> = {},
): boolean {
  if (!criteria) return true;
  const condition = criteria.StringCondition;
  if (condition && !(hooks.field?.(condition) ?? matchString(record, condition))) return false;
  if (hooks.own && !hooks.own(criteria)) return false;
  if (criteria.AndConditions && !criteria.AndConditions.every((c) => matchesCriteria(record, c, hooks)))
    return false;
  if (
    criteria.OrConditions?.length &&
    !criteria.OrConditions.some((c) => matchesCriteria(record, c, hooks))
  ) {
    return false;
  }
  return true;
}

/**
 * Rejects a `StringCondition.FieldName` (anywhere in the criteria) that the type's Search operation
 * does not support, as listed in the model's docs (e.g. `name`, `description`, `resourceID`).
 * Compared case-insensitively.
 * @throws ConnectError InvalidParameterException (400)
 */
export function assertSearchFields(criteria: SearchCriteria | undefined, allowed: readonly string[]): void {
  if (!criteria) return;
  const field = criteria.StringCondition?.FieldName;
  if (field !== undefined && !allowed.some((a) => a.toLowerCase() === field.toLowerCase())) {
    throw invalidParameter(`Unsupported FieldName ${field}; supported: ${allowed.join(', ')}`);
  }
  for (const nested of [...(criteria.AndConditions ?? []), ...(criteria.OrConditions ?? [])]) {
    assertSearchFields(nested, allowed);
  }
}

function hasTag(tags: Record<string, string>, condition: TagCondition): boolean {
  if (condition.TagKey === undefined) return true;
  const value = tags[condition.TagKey];
  return value !== undefined && (condition.TagValue === undefined || value === condition.TagValue);
}

/** True when the record's tags satisfy the filter's TagFilter (no filter matches everything). */
export function matchesFilter(
  tags: Record<string, string> | undefined,
  filter: SearchFilter | undefined,
): boolean {
  const tagFilter = filter?.TagFilter;
  if (!tagFilter) return true;
  const t = tags ?? {};
  if (tagFilter.TagCondition && !hasTag(t, tagFilter.TagCondition)) return false;
  if (tagFilter.AndConditions && !tagFilter.AndConditions.every((c) => hasTag(t, c))) return false;
  if (
    tagFilter.OrConditions?.length &&
    !tagFilter.OrConditions.some((group) => group.every((c) => hasTag(t, c)))
  ) {
    return false;
  }
  return true;
}
