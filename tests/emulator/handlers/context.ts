/**
 * The contract between the emulator's HTTP layer and its operation handlers.
 *
 * A handler receives the decoded, already model-validated input of one operation (typed with the
 * SDK's own `<Op>Request` type) and returns its output (the SDK's `<Op>Response` type, with `Date`s for
 * timestamps). It throws `ConnectError` for service errors. It never sees HTTP.
 */
import { createHash } from 'node:crypto';
import { ConnectError, invalidParameter } from '../errors.js';
import type { InstanceState, World } from '../state.js';

/** What a handler knows about the request it serves. */
export interface RequestContext {
  readonly world: World;
  /** The caller's account, from its access key (SigV4 credential). */
  readonly accountId: string;
  /** The Region from the SigV4 credential scope. */
  readonly region: string;
  /**
   * The instance named by `InstanceId`, as the caller sees it.
   * @throws ConnectError ResourceNotFoundException (404) when it is not in the caller's account and Region.
   */
  instance(idOrArn: string): InstanceState;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers are typed per operation where they are defined.
export type OperationHandler = (ctx: RequestContext, input: any) => unknown;

/** Handlers by operation name (the model's names, e.g. `CreateQueue`). */
export type HandlerTable = Record<string, OperationHandler>;

const TOKEN_PREFIX = 'cvemu1.';

/**
 * Pages through a stable, ordered list the way Connect does: `MaxResults` capped per operation,
 * `NextToken` opaque (and rejected when forged or reused across operations).
 *
 * @param scope a string unique to the listing (operation + instance + filters), baked into the token.
 * @throws ConnectError InvalidParameterException (400) for a token that does not belong to this listing.
 */
export function paginate<T>(
  items: readonly T[],
  input: { MaxResults?: number; NextToken?: string },
  scope: string,
  pageMax: number,
): { page: T[]; NextToken?: string } {
  const size = Math.min(input.MaxResults ?? pageMax, pageMax);
  let offset = 0;
  if (input.NextToken) {
    const decoded = decodeToken(input.NextToken);
    if (!decoded || decoded.scope !== scopeHash(scope)) {
      throw invalidParameter('The nextToken is not valid for this request.');
    }
    offset = decoded.offset;
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length ? { page, NextToken: encodeToken(scopeHash(scope), next) } : { page };
}

/**
 * One page of a Search* answer: the matches paged like a listing, with the token bound to the
 * operation, instance, criteria and filter, and `ApproximateTotalCount` (all matches).
 */
export function searchPage<T>(
  operation: string,
  instanceId: string,
  matches: readonly T[],
  input: { MaxResults?: number; NextToken?: string; SearchCriteria?: unknown; SearchFilter?: unknown },
  pageMax: number,
): { page: T[]; NextToken?: string; ApproximateTotalCount: number } {
  const scope = `${operation}/${instanceId}/${JSON.stringify([input.SearchCriteria ?? {}, input.SearchFilter ?? {}])}`;
  const { page, NextToken } = paginate(matches, input, scope, pageMax);
  return { page, NextToken, ApproximateTotalCount: matches.length };
}

function scopeHash(scope: string): string {
  return createHash('sha256').update(scope).digest('base64url').slice(0, 16);
}

function encodeToken(scope: string, offset: number): string {
  return TOKEN_PREFIX + Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
}

function decodeToken(token: string): { scope: string; offset: number } | undefined {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  try {
    const parsed = JSON.parse(
      Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'),
    ) as {
      s?: unknown;
      o?: unknown;
    };
    if (typeof parsed.s !== 'string' || typeof parsed.o !== 'number' || parsed.o < 0) return undefined;
    return { scope: parsed.s, offset: parsed.o };
  } catch {
    return undefined;
  }
}

/** SHA-256 of flow content, hex, as in `FlowContentSha256`. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Copies tags, or `{}` for none. */
export function tagsOf(tags: Record<string, string> | undefined): Record<string, string> {
  return { ...(tags ?? {}) };
}

/** A `ConnectError` for an operation that exists in the API but not in the emulator. */
export function notImplemented(operation: string): ConnectError {
  return new ConnectError(
    'InvalidRequestException',
    `The Connect emulator does not implement ${operation}. Implemented operations are listed by GET /__emulator/operations.`,
  );
}
