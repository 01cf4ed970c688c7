/**
 * Ctrl-C (SIGINT) for the CLI: stops the progress bars (which gives the terminal its cursor and line
 * wrap back), says what was interrupted and what that leaves, and exits 130.
 *
 * @packageDocumentation
 */
import { EXIT } from './exit-codes.js';

/** What the command is doing, and what an interruption leaves behind, for the message. */
export interface Activity {
  /** E.g. `backing up 1111-2222 to ./backups`. */
  doing: string;
  /** E.g. `the snapshot in progress has no manifest, so it does not count as a snapshot`. */
  leaves: string;
}

const cleanups = new Set<() => void>();
let activity: Activity | undefined;

/** Registers `stop` to run on Ctrl-C (e.g. a progress bar's `stop()`); returns the unregistering function. */
export function onInterrupt(stop: () => void): () => void {
  cleanups.add(stop);
  return () => cleanups.delete(stop);
}

/** Says what the command is doing now, for the message Ctrl-C prints. */
export function setActivity(next: Activity | undefined): void {
  activity = next;
}

/** Runs the clean-ups, prints the message to stderr, and exits 130. */
function interrupted(): never {
  for (const stop of cleanups) {
    try {
      stop();
    } catch {
      // The terminal is being restored on the way out: one clean-up failing must not stop the others.
    }
  }
  cleanups.clear();
  const what = activity ? ` while ${activity.doing}; ${activity.leaves}` : '';
  process.stderr.write(`\nconnect-vault: interrupted${what}.\n`);
  process.exit(EXIT.interrupted);
}

/** Installs the SIGINT handler for the run; returns the function that removes it. */
export function handleInterrupts(): () => void {
  const listener = () => interrupted();
  process.on('SIGINT', listener);
  return () => {
    process.off('SIGINT', listener);
    cleanups.clear();
    activity = undefined;
  };
}
