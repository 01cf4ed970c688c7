/**
 * Reference remapping: every id and ARN of a source resource, wherever it sits in a state (document
 * members, flow content, contact attribute values), becomes a symbol of that resource; the symbols
 * are compared with the target's (turned into symbols the same way) and, when writing, replaced by
 * the target's ids and ARNs.
 *
 * A symbol is `⟦r<handle>:id⟧` or `⟦r<handle>:arn⟧` for a source resource (its handle in the
 * {@link SourceIndex}), `⟦i:id⟧` / `⟦i:arn⟧` for the instance itself. Symbols hold no id, so no id
 * pattern can match inside one.
 *
 * Rules for what is not a source resource (checked in this order):
 * 1. `mappings.ids` / `mappings.arns`: replaced as given.
 * 2. A Connect ARN of the source instance whose resource is not in the snapshot: kept in a restore
 *    into the same instance, else unresolved.
 * 3. A Connect ARN of another instance: unresolved (unless it is the target's).
 * 4. An AWS-managed Connect ARN (`…:connect:<region>:aws:…`): its Region follows the target's.
 * 5. An account-level Connect ARN of the source account (a phone number): the symbol of its resource
 *    when the snapshot holds it (the phone-numbers kind); else kept in a restore into the same
 *    instance, and unresolved in any other.
 * 6. Any other ARN (Lambda, Lex, …): its account is rewritten by `mappings.accounts` and its
 *    Region by `mappings.regions`. Unresolved when it was in the source account and is not then in
 *    the target's, or when it is still in the source Region in a restore into another Region.
 *    (An ARN of a third account, such as an AWS-owned function, keeps its account.)
 * 7. Anything else (an unknown id): kept as it is.
 *
 * @packageDocumentation
 */
import type { KindName, StoredDocument, TargetResource } from '#shared/kinds/index.js';
import type { Mapping } from './request.js';

/** The identity of an instance, as ARNs embed it. */
export interface InstanceIdentityLite {
  id: string;
  arn: string;
  region: string;
  accountId: string;
}

/** A resource of the snapshot, with the handle its symbols use. */
export interface SourceResource {
  handle: number;
  kind: KindName;
  id: string;
  arn: string;
  name: string;
}

/** A reference that cannot be remapped; the resource holding it is blocked. */
export interface Finding {
  /** Where it sits in the resource's state, e.g. `Published.Actions[2].Parameters.LambdaFunctionARN`. */
  path: string;
  /** The id or ARN as the snapshot has it. */
  reference: string;
  /** Why, and what to do. */
  reason: string;
}

const OPEN = '\u27E6';
const CLOSE = '\u27E7';
const TOKEN = /\u27E6(?:r(\d+)|i):(id|arn)\u27E7/g;
const ARN_SOURCE = 'arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\\d{12}|aws)?:[A-Za-z0-9/_.:$@+=*#-]+';
const UUID_SOURCE =
  '(?<![0-9A-Za-z-])[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![0-9A-Za-z-])';
const UUID = new RegExp(`^${UUID_SOURCE}$`);
const ARN_PARTS = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;
/** `instance/<id>[/<segment>/<resourceId>[<suffix>]]`; an AGENT queue's segment is `queue/agent`. */
const INSTANCE_RESOURCE = /^instance\/([^/]+)(?:\/(queue\/agent|[^/]+)\/([^/:]+)(.*))?$/;

function symbol(handle: number | 'i', form: 'id' | 'arn'): string {
  return `${OPEN}${handle === 'i' ? 'i' : `r${handle}`}:${form}${CLOSE}`;
}

/** Runs `replace` on every ARN and every UUID in `text` (ARNs first: an id inside an ARN is the ARN's). */
function scan(text: string, replace: (match: { arn?: string; id?: string }) => string): string {
  const pattern = new RegExp(`(${ARN_SOURCE})|(${UUID_SOURCE})`, 'g');
  return text.replace(pattern, (_match, arn: string | undefined, id: string | undefined) => {
    if (arn === undefined) return replace({ id });
    // Sentence punctuation after an ARN is not part of it.
    const trimmed = arn.replace(/[.:]+$/, '');
    return replace({ arn: trimmed }) + arn.slice(trimmed.length);
  });
}

/** Deep-copies a JSON value, passing every string (with its path) through `rewrite`. */
export function mapStrings(
  value: unknown,
  rewrite: (text: string, path: string) => string,
  path = '',
): unknown {
  if (typeof value === 'string') return rewrite(value, path);
  if (Array.isArray(value)) return value.map((item, i) => mapStrings(item, rewrite, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        mapStrings(item, rewrite, path ? `${path}.${key}` : key),
      ]),
    );
  }
  return value;
}

/** Every resource of a snapshot by id and ARN, each with a handle. */
export class SourceIndex {
  readonly resources: SourceResource[] = [];
  readonly #byId = new Map<string, SourceResource>();
  readonly #byArn = new Map<string, SourceResource>();

  /** @param documents - The snapshot's documents of every kind but singletons. */
  constructor(
    readonly instance: InstanceIdentityLite,
    documents: Iterable<StoredDocument>,
  ) {
    for (const document of documents) {
      const resource: SourceResource = {
        handle: this.resources.length,
        kind: document.kind,
        id: document.id,
        arn: document.arn,
        name: document.name,
      };
      this.resources.push(resource);
      this.#byId.set(document.id, resource);
      this.#byArn.set(document.arn, resource);
    }
  }

  /** The resource with this id or ARN. */
  find(idOrArn: string): SourceResource | undefined {
    return this.#byId.get(idOrArn) ?? this.#byArn.get(idOrArn);
  }

  /** The resource of a handle. */
  at(handle: number): SourceResource | undefined {
    return this.resources[handle];
  }
}

/** What source-side rewriting needs. */
export interface RewriteContext {
  source: InstanceIdentityLite;
  target: InstanceIdentityLite;
  /** The target is the source instance (a point-in-time restore). */
  sameInstance: boolean;
  index: SourceIndex;
  mapping: Mapping;
}

/**
 * Turns the ids and ARNs in a source state into symbols and applies the mapping, recording every
 * reference that cannot be remapped in `findings`.
 */
export function rewriteSource(value: unknown, ctx: RewriteContext, findings: Finding[], path = ''): unknown {
  return mapStrings(value, (text, at) => rewriteSourceText(text, ctx, findings, at), path);
}

function own(map: Record<string, string> | undefined, key: string): string | undefined {
  return map && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** {@link rewriteSource} for one string. */
export function rewriteSourceText(
  text: string,
  ctx: RewriteContext,
  findings: Finding[],
  path: string,
): string {
  const whole = own(ctx.mapping.ids, text) ?? own(ctx.mapping.arns, text);
  if (whole !== undefined) return whole;
  if (!UUID.test(text) && !text.startsWith('arn:')) {
    // Ids that are not UUIDs are only recognised as a whole string.
    if (text === ctx.source.id) return symbol('i', 'id');
    const resource = ctx.index.find(text);
    if (resource && resource.id === text) return symbol(resource.handle, 'id');
  }
  const unresolved = (reference: string, reason: string) => {
    findings.push({ path, reference, reason });
    return reference;
  };
  return scan(text, ({ arn, id }) => {
    if (id !== undefined) {
      const mapped = own(ctx.mapping.ids, id);
      if (mapped !== undefined) return mapped;
      if (id === ctx.source.id) return symbol('i', 'id');
      const resource = ctx.index.find(id);
      return resource ? symbol(resource.handle, 'id') : id;
    }
    return rewriteArn(arn ?? '', ctx, unresolved);
  });
}

function rewriteArn(
  arn: string,
  ctx: RewriteContext,
  unresolved: (reference: string, reason: string) => string,
): string {
  const mapped = own(ctx.mapping.arns, arn);
  if (mapped !== undefined) return mapped;
  const parts = ARN_PARTS.exec(arn);
  if (!parts) return arn;
  const [, partition, service, region = '', account = '', resource = ''] = parts;
  const { source, target } = ctx;

  if (service === 'connect') {
    const inInstance = INSTANCE_RESOURCE.exec(resource);
    if (inInstance) {
      const [, instanceId, segment, resourceId, suffix = ''] = inInstance;
      const ofSource = instanceId === source.id && account === source.accountId && region === source.region;
      if (ofSource) {
        if (!segment) return symbol('i', 'arn');
        const base = `arn:${partition}:connect:${region}:${account}:instance/${instanceId}/${segment}/${resourceId}`;
        const baseMapped = own(ctx.mapping.arns, base);
        if (baseMapped !== undefined) return baseMapped + suffix;
        const found = ctx.index.find(base);
        if (found) return symbol(found.handle, 'arn') + suffix;
        if (ctx.sameInstance) return arn;
        return unresolved(
          arn,
          segment === 'queue/agent'
            ? `the AGENT queue ${resourceId} of a user of the source instance is not in the snapshot (AGENT queues come with their users); map it with mappings.arns`
            : `the ${segment} ${resourceId} of the source instance is not in the snapshot; map it with mappings.arns`,
        );
      }
      if (instanceId === target.id && account === target.accountId && region === target.region) return arn;
      return unresolved(
        arn,
        'belongs to another Connect instance (neither the source nor the target); map it with mappings.arns',
      );
    }
    if (account === 'aws' || account === '') {
      // AWS-managed resources (views, …) exist in every Region: follow the target's.
      const newRegion =
        own(ctx.mapping.regions, region) ?? (region === source.region ? target.region : region);
      return `arn:${partition}:connect:${newRegion}:${account}:${resource}`;
    }
    // An account-level resource of the snapshot (a phone number, `…:phone-number/<id>`).
    const held = ctx.index.find(arn);
    if (held && held.arn === arn) return symbol(held.handle, 'arn');
    if (account === source.accountId && !ctx.sameInstance) {
      return unresolved(
        arn,
        'is a Connect resource of the source account outside the instance (such as a phone number); map it with mappings.arns',
      );
    }
    return arn;
  }

  const newAccount = own(ctx.mapping.accounts, account) ?? account;
  const newRegion = region === '' ? '' : (own(ctx.mapping.regions, region) ?? region);
  if (account === source.accountId && newAccount !== target.accountId) {
    return unresolved(
      arn,
      `is in account ${account}, not in the target's account ${target.accountId}; rewrite the account with mappings.accounts or map the ARN with mappings.arns`,
    );
  }
  if (region !== '' && newRegion === source.region && source.region !== target.region) {
    return unresolved(
      arn,
      `is in the source Region ${region}, not in the target's Region ${target.region}; rewrite it with mappings.regions or map the ARN with mappings.arns`,
    );
  }
  return `arn:${partition}:${service}:${newRegion}:${newAccount}:${resource}`;
}

/** Symbols for the target's resources that are matched to source resources. */
export class TargetSymbols {
  readonly #byId = new Map<string, number>();
  readonly #byArn = new Map<string, number>();

  constructor(readonly target: InstanceIdentityLite) {}

  /** Records that the target resource `resource` stands for the source resource of `handle`. */
  add(handle: number, resource: TargetResource): void {
    this.#byId.set(resource.id, handle);
    this.#byArn.set(resource.arn, handle);
  }

  /** Turns the ids and ARNs of matched target resources in a state into symbols. */
  symbolize(value: unknown): unknown {
    return mapStrings(value, (text) => this.#text(text));
  }

  #text(text: string): string {
    if (!UUID.test(text) && !text.startsWith('arn:')) {
      if (text === this.target.id) return symbol('i', 'id');
      const handle = this.#byId.get(text);
      if (handle !== undefined) return symbol(handle, 'id');
    }
    return scan(text, ({ arn, id }) => {
      if (id !== undefined) {
        if (id === this.target.id) return symbol('i', 'id');
        const handle = this.#byId.get(id);
        return handle === undefined ? id : symbol(handle, 'id');
      }
      const value = arn ?? '';
      if (value === this.target.arn) return symbol('i', 'arn');
      const inInstance = /^(arn:[^:]+:connect:[^:]*:[^:]*:instance\/[^/]+\/[^/]+\/[^/:]+)(.*)$/.exec(value);
      const handle = inInstance?.[1] === undefined ? undefined : this.#byArn.get(inInstance[1]);
      if (handle === undefined) {
        // An account-level resource (a phone number) matched to a source resource.
        const whole = this.#byArn.get(value);
        return whole === undefined ? value : symbol(whole, 'arn');
      }
      return symbol(handle, 'arn') + (inInstance?.[2] ?? '');
    });
  }
}

/** The handles of the source resources a symbolic value refers to. */
export function handlesIn(value: unknown): Set<number> {
  const handles = new Set<number>();
  mapStrings(value, (text) => {
    for (const match of text.matchAll(TOKEN)) if (match[1] !== undefined) handles.add(Number(match[1]));
    return text;
  });
  return handles;
}

/**
 * Replaces symbols with target ids and ARNs.
 * @returns the value, and the handles `lookup` had no target resource for (their symbols are left in).
 */
export function resolveSymbols(
  value: unknown,
  lookup: (handle: number) => TargetResource | undefined,
  target: InstanceIdentityLite,
): { value: unknown; missing: number[] } {
  const missing = new Set<number>();
  const resolved = mapStrings(value, (text) =>
    text.replace(TOKEN, (token, handle: string | undefined, form: 'id' | 'arn') => {
      if (handle === undefined) return form === 'id' ? target.id : target.arn;
      const found = lookup(Number(handle));
      if (!found) {
        missing.add(Number(handle));
        return token;
      }
      return form === 'id' ? found.id : found.arn;
    }),
  );
  return { value: resolved, missing: [...missing] };
}
