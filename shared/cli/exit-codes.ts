/**
 * The one exit-code contract of every `connect-vault` command, and the one place that turns errors
 * and results into exit codes:
 *
 * | code | meaning |
 * | ---- | ------- |
 * | 0    | done |
 * | 1    | the work failed or found a problem: a failed backup, a plan with blocked resources, a filter that matched nothing, a restore that did not reach every planned outcome or found another restore writing into its target, verify NOT INTACT, a diff with differences, a failed doctor check, a users import row that failed (or would, in a dry run) |
 * | 2    | bad usage or input: unknown option, missing folder, unknown instance or snapshot, bad mapping, an export's unknown kind or name, corrupt manifest, no credentials for the profile, a target role that cannot be assumed, a users CSV that is not the layout |
 * | 130  | interrupted (Ctrl-C) |
 *
 * @packageDocumentation
 */
// Light on purpose: `--version` and `--help` load this module, so it imports no SDK and no core
// module at run time (the error classes are matched by their constant `name`, types only).
import { CommanderError } from 'commander';
import type { BackupFailedError } from '#shared/backup/backup-instance.js';
import type { RestoreReport } from '#shared/restore/report.js';

/** Exit codes: see the module documentation. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The contract as `--help` prints it after every command. */
export const EXIT_CODES_HELP = `
Exit codes (every command):
  0    done
  1    the work failed or found a problem: a failed backup, a plan with blocked resources, a filter
       that matched nothing, a restore that did not reach every planned outcome (or found another
       restore writing into its target), verify NOT INTACT, a diff with differences,
       a failed doctor check, a users import row that failed (or would)
  2    bad usage or input: unknown option, missing folder, unknown instance or snapshot, bad
       mapping, corrupt manifest, no credentials for the profile, a target role that cannot be
       assumed, a users CSV that is not the layout
  130  interrupted (Ctrl-C); nothing incomplete counts`;

/** An error whose message is for the user, ending the command with an exit code. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Error classes, by their constant `name`, and the exit code each one ends a command with. To map
 * a new error class, add a row. Anything not listed is a failure of the work (1). Commander's own
 * errors and {@link CliError} carry their code.
 */
const ERROR_CODES: Readonly<Record<string, (error: Error) => ExitCode>> = {
  // Bad request or mapping, unknown snapshot or instance, a tampered or too-new snapshot.
  RestoreInputError: () => EXIT.usage,
  // A missing, unreadable, invalid or too-new manifest or latest.json.
  SnapshotIntegrityError: () => EXIT.usage,
  // The filters matched nothing in the snapshot: found before any write, a problem (1), not bad input.
  NothingToRestoreError: () => EXIT.failed,
  // Another restore holds the target's lock: found before any write, the work cannot be done now.
  RestoreLockedError: () => EXIT.failed,
  // The target's backup before the first write failed: nothing was written.
  SafetySnapshotFailedError: () => EXIT.failed,
  // users import: a file that is not the bulk-user CSV layout (nothing written).
  UsersCsvError: () => EXIT.usage,
  // doctor: the instance is not in the account and Region.
  DoctorInputError: () => EXIT.usage,
  // The SDK found no credentials: a mistyped --profile, or none configured.
  CredentialsProviderError: () => EXIT.usage,
  // STS refused the --target-role-arn: its trust policy or the external id.
  AssumeRoleError: () => EXIT.usage,
  // import connect-backup: no such instance folder, or a file that is not JSON or lacks its identity.
  ImportInputError: () => EXIT.usage,
  // import connect-backup: a write failed (no manifest was written).
  ImportFailedError: () => EXIT.failed,
  // export cloudformation: an unknown or unexportable kind, a name no resource has (nothing written).
  ExportInputError: () => EXIT.usage,
  // An unknown instance is bad input; any other failed backup is a failure of the work.
  BackupFailedError: (e) => (isUnknownInstance(e as BackupFailedError) ? EXIT.usage : EXIT.failed),
};

/**
 * True when a backup failed before it started a snapshot because DescribeInstance answered
 * ResourceNotFoundException: no such instance in this account and Region.
 */
function isUnknownInstance(error: BackupFailedError): boolean {
  return (
    error.snapshotId === undefined && (error.cause as Error | undefined)?.name === 'ResourceNotFoundException'
  );
}

/** The exit code a command that threw `error` ends with. */
export function exitCodeForError(error: unknown): ExitCode {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof CliError) return error.exitCode;
  const byName =
    error instanceof Error && Object.hasOwn(ERROR_CODES, error.name) ? ERROR_CODES[error.name] : undefined;
  return byName ? byName(error as Error) : EXIT.failed;
}

/**
 * What the CLI prints for an error that ended a command (after `connect-vault: `): the message of
 * {@link CliError} and of the errors the table above knows, whose messages are written for people;
 * `Name: message` for anything else, so an unexpected error says what it is. Empty for commander's
 * errors, which commander has printed already.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof CommanderError) return '';
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'CredentialsProviderError') {
    return `No AWS credentials: ${error.message}. Check --profile (and --s3-profile, --target-profile), or the AWS_ACCESS_KEY_ID / AWS_PROFILE variables.`;
  }
  if (error instanceof CliError || Object.hasOwn(ERROR_CODES, error.name)) return error.message;
  return `${error.name}: ${error.message}`;
}

/**
 * The exit code of a run that backed up several instances, from the errors of those that failed:
 * 0 when none failed; 2 when one was an unknown instance (bad input); else 1.
 */
export function exitCodeForBackups(failures: readonly unknown[]): ExitCode {
  const codes = failures.map(exitCodeForError);
  if (codes.includes(EXIT.usage)) return EXIT.usage;
  return codes.length ? EXIT.failed : EXIT.ok;
}

/**
 * The exit code of a restore or plan: 1 when a plan has blocked resources or a restore did not
 * reach every planned outcome; else 0. (Filters that match nothing end the restore before a report,
 * with NothingToRestoreError: 1 as well.)
 */
export function exitCodeForRestore(report: RestoreReport): ExitCode {
  if (report.dryRun) return report.entries.some((e) => e.blocked) ? EXIT.failed : EXIT.ok;
  return report.status === 'succeeded' ? EXIT.ok : EXIT.failed;
}

/** The exit code of a finding: 1 when the work found a problem (NOT INTACT, a difference), else 0. */
export function exitCodeForFinding(problemFound: boolean): ExitCode {
  return problemFound ? EXIT.failed : EXIT.ok;
}
