/**
 * How the CLI writes for people: warnings as sentences on stderr, sizes in kB/MB.
 *
 * @packageDocumentation
 */
import prettyBytes from 'pretty-bytes';
import type { LoggerPort } from '#shared/ports.js';

/** `resourceId` → `resource id`. */
function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * A structured warning (constant message + data) as one sentence: `Warning: backup warning:
 * queues 1234: <warning>.` when the data carries a `warning` text, else the message with its data
 * in parentheses, e.g. `Warning: resource not restored (kind queues, source id 1234, error name
 * ThrottlingException).`
 */
export function warningSentence(message: string, data?: Record<string, unknown>): string {
  const { warning, kind, resourceId, ...rest } = data ?? {};
  const subject = [kind, resourceId].filter((v) => v !== undefined && v !== '').join(' ');
  const details = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${words(k)} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  let text = message;
  if (typeof warning === 'string') text = `${subject ? `${subject}: ` : ''}${warning}`;
  else if (subject) details.unshift(subject);
  if (details.length) text += ` (${details.join(', ')})`;
  text = text.charAt(0).toUpperCase() + text.slice(1);
  return `Warning: ${text}${/[.!?]$/.test(text) ? '' : '.'}`;
}

/** A logger for a CLI run: warnings as sentences on stderr, info dropped (progress says it). */
export const stderrLogger: LoggerPort = {
  info: () => {},
  warn: (message, data) => process.stderr.write(`${warningSentence(message, data)}\n`),
};

/** A logger that says nothing (`--quiet`). */
export const quietLogger: LoggerPort = { info: () => {}, warn: () => {} };

/** Bytes for people, in decimal units with one decimal: `3.4 MB`, `812 B`. */
export function formatSize(bytes: number): string {
  return prettyBytes(bytes, { maximumFractionDigits: 1 });
}
