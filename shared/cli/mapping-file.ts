/**
 * The mapping file of `restore`, `plan` and `export cloudformation` (`--mapping`): JSON, or YAML
 * (`.yaml`/`.yml`), in the request's `mappings` layout (`shared/restore/request.ts`).
 */
import { readFile } from 'node:fs/promises';
import { RestoreInputError } from '#shared/restore/errors.js';
import { type Mapping, parseMappingText } from '#shared/restore/request.js';
import { CliError, EXIT } from './context.js';

/**
 * Reads and checks a mapping file.
 * @throws CliError (exit 2) when the file cannot be read or parsed, or an entry is bad (naming it).
 */
export async function readMapping(path: string): Promise<Mapping> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read the mapping file ${path}: ${(error as Error).message}`, EXIT.usage, {
      cause: error,
    });
  }
  try {
    return parseMappingText(text, /\.ya?ml$/i.test(path) ? 'yaml' : 'json', `mapping file ${path}`);
  } catch (error) {
    if (error instanceof RestoreInputError) throw new CliError(error.message, EXIT.usage, { cause: error });
    throw error;
  }
}
