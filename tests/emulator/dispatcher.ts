/**
 * Runs one Connect operation against the world: validate the input against the model, find the
 * handler, call it. Shared by the HTTP server and by the seeds, so seeded data passes the same
 * checks a client's requests do.
 */
import { ConnectError } from './errors.js';
import { notImplemented, type RequestContext } from './handlers/context.js';
import { handlers } from './handlers/index.js';
import { model, validateInput } from './model.js';
import type { World } from './state.js';

/** Builds the context a handler runs in for one caller. */
export function requestContext(world: World, accountId: string, region: string): RequestContext {
  return {
    world,
    accountId,
    region,
    instance: (idOrArn: string) => world.instanceFor(idOrArn, accountId, region),
  };
}

/**
 * Validates and runs one operation.
 * @throws ConnectError for every service error, including an operation the emulator does not implement.
 */
export async function dispatch(
  world: World,
  accountId: string,
  region: string,
  operation: string,
  input: Record<string, unknown>,
): Promise<unknown> {
  if (!model.operations[operation])
    throw new ConnectError('UnknownOperationException', `Unknown operation ${operation}`);
  const handler = handlers[operation];
  if (!handler) throw notImplemented(operation);
  validateInput(operation, input);
  return handler(requestContext(world, accountId, region), structuredClone(input));
}

/** The operations the emulator implements, sorted. */
export function implementedOperations(): string[] {
  return Object.keys(handlers).sort();
}
