/**
 * Runs one Connect operation against the world: validate the input against the model, find the
 * handler, call it. Shared by the HTTP server and by the seeds, so seeded data passes the same
 * checks a client's requests do.
 */
import { ConnectError } from './errors.js';
import { notImplemented, type RequestContext } from './handlers/context.js';
import { splitQualifier } from './handlers/flow-content.js';
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
  if (world.propagation.delayMs > 0 && !READ_OPERATION.test(operation)) {
    freezeWriteTargets(world, accountId, region, input);
  }
  return handler(requestContext(world, accountId, region), structuredClone(input));
}

/** Operations that change nothing; every other one is a write for eventual consistency. */
const READ_OPERATION = /^(List|Describe|Search|Get)/;
/** Top-level members that name a resource: `QueueId`, `ContactFlowId`, `resourceArn`, … */
const RESOURCE_MEMBER = /(Id|Arn|ARN)$/;

/**
 * Before a write, freezes the Search view of every resource the request names at its top level (the
 * one it changes among them), so Search shows the change only once it has propagated. Resources it
 * merely references are frozen too, unchanged, which Search cannot tell apart.
 */
function freezeWriteTargets(
  world: World,
  accountId: string,
  region: string,
  input: Record<string, unknown>,
): void {
  for (const [member, value] of Object.entries(input)) {
    if (member === 'InstanceId' || typeof value !== 'string' || !RESOURCE_MEMBER.test(member)) continue;
    const instanceRef = value.startsWith('arn:') ? value : (input.InstanceId as string | undefined);
    if (!instanceRef) continue;
    let instance: ReturnType<World['instanceFor']>;
    try {
      instance = world.instanceFor(instanceRef, accountId, region);
    } catch {
      continue; // the handler answers for an unknown instance
    }
    const { base } = splitQualifier(value);
    const byArn = base.startsWith('arn:') ? instance.findByArn(base)?.record : undefined;
    const record =
      byArn ??
      instance
        .collections()
        .map((c) => c.find(base))
        .find((r) => r !== undefined);
    if (record) world.propagation.beforeWrite(record);
  }
}

/** The operations the emulator implements, sorted. */
export function implementedOperations(): string[] {
  return Object.keys(handlers).sort();
}
