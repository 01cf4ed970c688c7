import type { SeedEnv, SeededInstance } from './support.js';
import {
  createInstance,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  describeSeeded,
} from './support.js';

/** A freshly created instance with Connect's default resources. */
export async function seedNewInstance(env: SeedEnv): Promise<SeededInstance> {
  const instance = createInstance(env, {
    alias: 'new-instance',
    accountId: DEFAULT_ACCOUNT_ID,
    region: DEFAULT_REGION,
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
  });
  return describeSeeded(instance, DEFAULT_ACCESS_KEY_ID);
}
