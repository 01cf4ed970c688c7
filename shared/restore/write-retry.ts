/**
 * The restore's writes, made to survive a real account: a wrapper around the target's Connect
 * client that every write of an apply goes through.
 *
 * 1. **Propagation.** Connect is eventually consistent: changes "typically" propagate in seconds, "in
 *    some cases … several minutes", and meanwhile a resource just created answers
 *    `ResourceNotFoundException` (API Reference, eventual consistency; the CreateUser → DescribeUser
 *    example). A restore writes chains back to back (parent then child hierarchy group, queue then
 *    routing profile, user then USER quick connect, placeholder flow then its content), so a call
 *    that fails with `ResourceNotFoundException` or `InvalidRequestException` (or, for flow and
 *    module content, `InvalidContactFlowException` / `InvalidContactFlowModuleException`; for task
 *    templates, `PropertyValidationException`) is retried
 *    with exponential backoff, for a bounded time, **only when its request names an id or ARN that
 *    this restore created within the window**. A request naming only resources that were there
 *    before fails at once: a resource that simply does not exist is never waited for.
 * 2. **Lost connection.** A failure with no answer from the service (ECONNREFUSED, ECONNRESET,
 *    EPIPE, a socket hang-up, DNS or routing failures), after the SDK's own retries, becomes one
 *    `ConnectionLostError`: the apply stops instead of trying every remaining resource.
 *
 * Errors are classified by `name` and `code` (Node's system error codes), never by message text.
 */
import type { ConnectClient } from '@aws-sdk/client-connect';
import pRetry from 'p-retry';

/** How long and how often a write that names a just-created resource is retried. */
export interface PropagationRetryOptions {
  /**
   * A resource created by this restore counts as "just created" for this long (ms). Default
   * 300,000 (5 minutes: the docs' "several minutes").
   */
  windowMs: number;
  /** The longest a single write is retried, from its first failure (ms). Default 180,000. */
  maxRetryTimeMs: number;
  /** The first wait (ms); each next one is `factor` times longer. Default 250. */
  minDelayMs: number;
  /** The longest wait between two attempts (ms). Default 10,000. */
  maxDelayMs: number;
  /** Growth of the wait. Default 2. */
  factor: number;
}

/** The defaults, for a real account. */
export const DEFAULT_PROPAGATION_RETRY: PropagationRetryOptions = {
  windowMs: 300_000,
  maxRetryTimeMs: 180_000,
  minDelayMs: 250,
  maxDelayMs: 10_000,
  factor: 2,
};

/**
 * The p-retry schedule of a wait for propagation: exponential backoff from `minDelayMs` to
 * `maxDelayMs`, for at most `maxRetryTimeMs`, stopped by `signal`. Callers add `shouldRetry`.
 */
export function propagationBackoff(options: Partial<PropagationRetryOptions> = {}, signal?: AbortSignal) {
  const settings = { ...DEFAULT_PROPAGATION_RETRY, ...options };
  return {
    retries: Number.POSITIVE_INFINITY,
    factor: settings.factor,
    minTimeout: settings.minDelayMs,
    maxTimeout: settings.maxDelayMs,
    randomize: false,
    maxRetryTime: settings.maxRetryTimeMs,
    signal,
  };
}

/** Errors the service answers while a resource it just created has not propagated. */
const PROPAGATION_ERRORS = new Set([
  'ResourceNotFoundException',
  'InvalidRequestException',
  'InvalidContactFlowException',
  'InvalidContactFlowModuleException',
  // Task templates: a flow not found yet is a property of the template (REFERENCED_RESOURCE_NOT_FOUND).
  'PropertyValidationException',
]);

/** Node system error codes of a request that got no answer: the service is out of reach. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * The connection to Connect was lost: a write got no answer, even after the SDK's retries. The apply
 * stops; `cause` is the SDK's error.
 */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
  /** The Node error code (e.g. `ECONNREFUSED`). */
  readonly code: string;
  /** The operation that got no answer, e.g. `CreateQueue`. */
  readonly operation: string;

  constructor(message: string, code: string, operation: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.operation = operation;
  }
}

/** The Node system error code of a failure that got no answer from the service, or undefined. */
export function connectionErrorCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/**
 * Every id and ARN in a Create call's answer (`QueueId`, `QueueArn`, `ContactFlowARN`, …); for a
 * Create whose answer holds none (CreatePredefinedAttribute: the API addresses a predefined
 * attribute by its name), the `Name` it was given.
 */
function createdIdentifiers(output: unknown, input: unknown): string[] {
  const found =
    output === null || typeof output !== 'object'
      ? []
      : Object.entries(output as Record<string, unknown>)
          .filter(([member, value]) => /(Id|Arn|ARN)$/.test(member) && typeof value === 'string' && value)
          .map(([, value]) => value as string);
  if (found.length) return found;
  // Answers that wrap the new resource (CreateView: `{ View: { Id, Arn } }`).
  const nested = Object.entries((output ?? {}) as Record<string, unknown>).flatMap(([member, value]) =>
    member !== '$metadata' && value !== null && typeof value === 'object' && !Array.isArray(value)
      ? createdIdentifiers(value, undefined)
      : [],
  );
  if (nested.length) return nested;
  const name = (input as { Name?: unknown } | undefined)?.Name;
  return typeof name === 'string' && name ? [name] : [];
}

/** The operation name of an SDK command (`CreateQueueCommand` → `CreateQueue`). */
function operationOf(command: object): string {
  return command.constructor.name.replace(/Command$/, '');
}

/** What the wrapper knows of one apply: the resources it created, when. */
export class CreatedResources {
  readonly #at = new Map<string, number>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Records ids and ARNs created now. */
  add(identifiers: readonly string[]): void {
    const at = this.now();
    for (const identifier of identifiers) this.#at.set(identifier, at);
  }

  /** The ids and ARNs created within the last `windowMs` that the request names anywhere. */
  namedIn(input: unknown, windowMs: number): string[] {
    const text = JSON.stringify(input ?? {});
    const since = this.now() - windowMs;
    return [...this.#at]
      .filter(([identifier, at]) => at >= since && text.includes(identifier))
      .map(([id]) => id);
  }
}

/** What the wrapped client reports (to the logger). */
export interface WriteRetryEvents {
  /** A write is retried: it names a resource created moments ago. */
  retrying?(event: { operation: string; errorName: string; attempt: number; references: string[] }): void;
}

/**
 * Wraps a Connect client so that every `send` retries propagation failures of just-created
 * resources and turns a lost connection into `ConnectionLostError` (see the module comment). Every
 * other member is the client's own. Create calls record the ids and ARNs they return.
 */
export function withWriteRetry(
  connect: ConnectClient,
  options: Partial<PropagationRetryOptions> = {},
  events: WriteRetryEvents = {},
  created = new CreatedResources(),
): ConnectClient {
  const settings = { ...DEFAULT_PROPAGATION_RETRY, ...options };
  const send = async (command: { input?: unknown }, sendOptions?: { abortSignal?: AbortSignal }) => {
    const operation = operationOf(command);
    try {
      const output = await pRetry(
        () => (connect.send as (c: unknown, o: unknown) => Promise<unknown>)(command, sendOptions),
        {
          ...propagationBackoff(settings, sendOptions?.abortSignal),
          shouldRetry: ({ error, attemptNumber }) => {
            if (!PROPAGATION_ERRORS.has(error.name) || connectionErrorCode(error)) return false;
            const references = created.namedIn(command.input, settings.windowMs);
            if (!references.length) return false;
            events.retrying?.({ operation, errorName: error.name, attempt: attemptNumber, references });
            return true;
          },
        },
      );
      if (operation.startsWith('Create')) created.add(createdIdentifiers(output, command.input));
      return output;
    } catch (error) {
      const code = connectionErrorCode(error);
      if (code) {
        throw new ConnectionLostError(
          `Lost the connection to Amazon Connect: ${operation} got no answer (${code}), even after retries`,
          code,
          operation,
          { cause: error },
        );
      }
      throw error;
    }
  };
  return new Proxy(connect, {
    get(target, property, receiver) {
      return property === 'send' ? send : Reflect.get(target, property, receiver);
    },
  });
}
