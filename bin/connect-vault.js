#!/usr/bin/env node
// The connect-vault command line: runs the bundle `npm run build` makes (plain JavaScript, no
// TypeScript compiler at start-up).

// The AWS SDK's documented switch for its Node-version notice (aws/aws-sdk-js-v3#7983): the notice
// is about SDK releases after January 2027, not this package's pinned SDK, and would print on every
// command. Set it to false to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Output piped into a reader that stops early (`connect-vault show | head`): the reader closing the
// pipe ends the command quietly, as other command-line tools do, instead of an EPIPE stack trace.
process.stdout.on('error', (error) => {
  if (error?.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const bundle = new URL('../dist/connect-vault.mjs', import.meta.url);
let main;
try {
  ({ main } = await import(bundle.href));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(bundle.pathname)) throw error;
  process.stderr.write(
    `connect-vault: ${bundle.pathname} is missing: run npm run build in a clone (npm ci does it).\n`,
  );
  process.exit(1);
}
process.exitCode = await main(process.argv);
