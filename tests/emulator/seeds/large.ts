import { seedNewInstance } from './new-instance.js';
import type { SeedEnv, SeededInstance } from './support.js';

export interface LargeSeedCounts {
  users: number;
}

/** A deterministic large instance for benchmarks. */
export async function seedLarge(
  env: SeedEnv,
  _counts: Partial<LargeSeedCounts> = {},
): Promise<SeededInstance> {
  return seedNewInstance(env);
}
