/**
 * Vitest global set-up: builds the CLI bundle (`npm run build`) before any test, so the tests that
 * run `bin/connect-vault.js` as users do run today's code.
 */
import { buildCli } from '../../scripts/build-cli.js';

export default async function setup(): Promise<void> {
  await buildCli();
}
