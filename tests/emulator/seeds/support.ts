/**
 * What every seed builds on: creating an instance in an account and Region, and calling
 * operations through the same validation and handlers that clients' requests go through.
 */
import { dispatch } from '../dispatcher.js';
import { InstanceState, type World } from '../state.js';

/** One seeded instance, as the emulator's command line prints it. */
export interface SeededInstance {
  alias: string;
  id: string;
  arn: string;
  accountId: string;
  region: string;
  /** An access key id that maps to the instance's account. */
  accessKeyId: string;
}

/** The default account, Region and access key of the emulator. */
export const DEFAULT_ACCOUNT_ID = '111122223333';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCESS_KEY_ID = 'AKIAEMULATORDEFAULT1';

/** The world a seed populates, and the access-key map it may extend. */
export interface SeedEnv {
  world: World;
  /** Access key id → account id; seeds add keys for the accounts they use. */
  accounts: Record<string, string>;
}

/**
 * Calls one operation as a client in the instance's account and Region would.
 * @throws ConnectError exactly as the HTTP API would answer.
 */
export async function call<T = Record<string, unknown>>(
  env: SeedEnv,
  instance: InstanceState,
  operation: string,
  input: Record<string, unknown>,
): Promise<T> {
  return (await dispatch(env.world, instance.accountId, instance.region, operation, {
    InstanceId: instance.id,
    ...input,
  })) as T;
}

/** Creates an empty, ACTIVE instance (no default resources: see `seedNewInstanceDefaults`). */
export function createInstance(
  env: SeedEnv,
  options: { alias: string; accountId: string; region: string; accessKeyId: string; id?: string },
): InstanceState {
  const instance = new InstanceState(
    options.id ?? env.world.newId(),
    options.alias,
    options.accountId,
    options.region,
    env.world.tick(),
  );
  env.accounts[options.accessKeyId] = options.accountId;
  return env.world.addInstance(instance);
}

/** The printable description of a seeded instance. */
export function describeSeeded(instance: InstanceState, accessKeyId: string): SeededInstance {
  return {
    alias: instance.alias,
    id: instance.id,
    arn: instance.arn,
    accountId: instance.accountId,
    region: instance.region,
    accessKeyId,
  };
}
