/** The emulator's seeds, by name. */
import { seedDemo } from './demo.js';
import { type LargeSeedCounts, seedLarge } from './large.js';
import { seedNewInstance } from './new-instance.js';
import type { SeedEnv, SeededInstance } from './support.js';

export type SeedName = 'empty' | 'new-instance' | 'demo' | 'large';

export const SEED_NAMES: SeedName[] = ['empty', 'new-instance', 'demo', 'large'];

/** Options some seeds take. */
export interface SeedOptions {
  /** For `large`: how many resources of each type. */
  large?: Partial<LargeSeedCounts>;
}

/** Runs a seed; a function seed lets tests build their own world. */
export async function runSeed(
  seed: SeedName | ((env: SeedEnv) => Promise<SeededInstance[]>),
  env: SeedEnv,
  options: SeedOptions = {},
): Promise<SeededInstance[]> {
  if (typeof seed === 'function') return seed(env);
  switch (seed) {
    case 'empty':
      return [];
    case 'new-instance':
      return [await seedNewInstance(env)];
    case 'demo':
      return seedDemo(env);
    case 'large':
      return [await seedLarge(env, options.large)];
  }
}
