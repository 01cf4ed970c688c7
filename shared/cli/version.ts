/** The CLI's version: the `version` of package.json (a JSON import, inlined by the bundle). */
import pkg from '../../package.json' with { type: 'json' };

/** E.g. `0.1.0`. */
export const VERSION: string = pkg.version;
