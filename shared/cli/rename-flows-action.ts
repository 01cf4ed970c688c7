/**
 * What `connect-vault rename-flows` does (rename-flows-command.ts defines its options): renames
 * through `shared/migrate/rename-flows.ts`, one line per flow as it goes, then a table and a summary.
 * Loaded only when the command runs.
 */
import { type RenameFlowsReport, type RenameOutcome, renameFlows } from '#shared/migrate/rename-flows.js';
import { type AwsOptions, CliError, connectFor, table } from './context.js';
import { exitCodeForFinding } from './exit-codes.js';

/** The options of `connect-vault rename-flows`, as commander parses them. */
export interface RenameFlowsCommandOptions extends AwsOptions {
  instanceId: string;
  prefix: string;
  allFlows?: boolean;
  dryRun?: boolean;
  rateFactor: number;
  json?: boolean;
}

/**
 * Runs `connect-vault rename-flows`. Sets `process.exitCode` 1 when a flow could not be renamed.
 * @throws CliError (exit 2) for an empty prefix, a bad --rate-factor or an unknown instance.
 */
export async function runRenameFlows(options: RenameFlowsCommandOptions): Promise<void> {
  if (!options.prefix?.trim()) throw new CliError('--prefix must not be empty or blank.');
  if (!Number.isFinite(options.rateFactor) || options.rateFactor <= 0) {
    throw new CliError('--rate-factor must be a positive number.');
  }
  const { client: connect } = await connectFor(options);
  let report: RenameFlowsReport;
  try {
    report = await renameFlows({
      connect,
      instanceId: options.instanceId,
      prefix: options.prefix,
      allFlows: Boolean(options.allFlows),
      dryRun: Boolean(options.dryRun),
      onOutcome: options.json ? undefined : progress,
    });
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new CliError(
        `No Connect instance ${options.instanceId} in this account and Region (SearchContactFlows: ResourceNotFoundException). Check --instance-id, --region and --profile.`,
        undefined,
        { cause: error },
      );
    }
    throw error;
  }
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(summaryOf(report));
  const failed = report.outcomes.filter((o) => o.result === 'failed');
  if (failed.length) {
    process.stderr.write(
      `connect-vault: ${failed.length} flow(s) not renamed:\n${failed.map((o) => `  ${o.name}: ${o.error}\n`).join('')}`,
    );
  }
  process.exitCode = exitCodeForFinding(failed.length > 0);
}

function progress(outcome: RenameOutcome, done: number, total: number): void {
  if (outcome.result === 'renamed' || outcome.result === 'failed') {
    process.stderr.write(`[${done}/${total}] ${outcome.result} ${outcome.name}\n`);
  }
}

const LABELS: Record<RenameOutcome['result'], string> = {
  renamed: 'renamed',
  'would-rename': 'would rename',
  'already-prefixed': 'already prefixed',
  failed: 'FAILED',
};

function summaryOf(report: RenameFlowsReport): string {
  const rows = [
    ['FLOW', 'NEW NAME', 'OUTCOME'],
    ...report.outcomes.map((o) => [o.name, o.newName, LABELS[o.result]]),
  ];
  const count = (result: RenameOutcome['result']) =>
    report.outcomes.filter((o) => o.result === result).length;
  const lines = [report.outcomes.length ? table(rows) : 'No flow to rename.'];
  if (report.missingDefaults.length) {
    lines.push(
      `Not in the instance (${report.missingDefaults.length}): ${report.missingDefaults.join(', ')}`,
    );
  }
  lines.push(
    report.dryRun
      ? `Dry run: ${count('would-rename')} would be renamed, ${count('already-prefixed')} already prefixed. Nothing was changed.`
      : `${count('renamed')} renamed, ${count('already-prefixed')} already prefixed, ${count('failed')} failed.`,
  );
  return `${lines.join('\n')}\n`;
}
