/**
 * `users import`: the rows of a bulk-user CSV (`csv.ts`) checked against an instance's directory,
 * then created with CreateUser in batches.
 *
 * Decisions:
 * - A row whose user login the instance already has is **skipped** and reported, never updated:
 *   an import adds users; changing existing ones is the restore's work (`connect-vault restore`).
 * - New users on CONNECT_MANAGED instances get a random password (`newPassword`: crypto.randomBytes,
 *   8–64 characters with upper case, lower case and a digit) that goes into the CreateUser request
 *   and nowhere else; the report lists them for a password reset. The file's password column is
 *   ignored (a CSV of passwords should not exist), and its count is reported.
 * - A row that fails (a check, or CreateUser) does not stop the others: it goes into the report
 *   with its reason, and its original values into the failed-rows CSV, which can be fed back.
 *
 * @packageDocumentation
 */
import { type ConnectClient, CreateUserCommand, type CreateUserRequest } from '@aws-sdk/client-connect';
import { newPassword as defaultNewPassword } from '#shared/restore/password.js';
import {
  COLUMNS,
  type Column,
  checkRow,
  formatUsersCsv,
  PHONE_COLUMNS,
  type RawRow,
  type UserRow,
} from './csv.js';
import { HIERARCHY_SEPARATOR, type InstanceDirectory } from './directory.js';

/** What kind of problem keeps a row from being created; a dry run lists them by kind. */
export type ProblemKind =
  | 'missing-routing-profile'
  | 'missing-security-profile'
  | 'missing-hierarchy-group'
  | 'invalid-phone'
  | 'invalid';

/** One problem of a row. */
export interface ImportProblem {
  kind: ProblemKind;
  message: string;
  /** The missing name, for the missing-* kinds. */
  name?: string;
}

/** A row after the checks: what will happen to it. */
export interface PlannedRow {
  raw: RawRow;
  /** The user login as the file has it (trimmed). */
  login: string;
  /** `create`: checked and ready; `skip`: the login exists; `fail`: see problems. */
  action: 'create' | 'skip' | 'fail';
  row?: UserRow;
  /** Ids for CreateUser (action `create`). */
  ids?: { routingProfileId: string; securityProfileIds: string[]; hierarchyGroupId?: string };
  problems: ImportProblem[];
}

/** The checked rows of a file. */
export interface ImportPlan {
  rows: PlannedRow[];
  /** Rows whose password column held something (ignored). */
  ignoredPasswords: number;
}

const USERNAME_PATTERN = /^[a-zA-Z0-9_.@-]+$/;
const EMAIL_FORM = /^[^@]+@[^@]+\.[^@]+$/;

/** Login and identity rules of CreateUser and UserIdentityInfo, by identity management type. */
function identityProblems(row: UserRow, identity: string): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const max = identity === 'SAML' ? 64 : 20;
  if (!USERNAME_PATTERN.test(row.login) || row.login.length > max)
    problems.push({
      kind: 'invalid',
      message: `${COLUMNS.login} must have 1 to ${max} characters from a-z A-Z 0-9 _ . @ - on a ${identity} instance`,
    });
  else if (row.login.includes('@') && !EMAIL_FORM.test(row.login))
    problems.push({ kind: 'invalid', message: `${COLUMNS.login} may hold @ only in an e-mail form` });
  if (identity === 'CONNECT_MANAGED' || identity === 'SAML') {
    for (const column of ['firstName', 'lastName'] as const)
      if (!row[column])
        problems.push({
          kind: 'invalid',
          message: `${COLUMNS[column]} is required on a ${identity} instance`,
        });
  }
  if (identity === 'SAML' && row.email)
    problems.push({ kind: 'invalid', message: `${COLUMNS.email} must be empty on a SAML instance` });
  return problems;
}

/**
 * Checks every row against the layout (`checkRow`), the instance's identity rules and its
 * directory: routing profile, security profiles and hierarchy group by name, logins that exist
 * (skip) or come twice in the file (the later rows fail). Writes nothing.
 */
export function planImport(raws: readonly RawRow[], directory: InstanceDirectory): ImportPlan {
  const firstLine = new Map<string, number>();
  let ignoredPasswords = 0;
  const rows = raws.map((raw): PlannedRow => {
    if (raw.values.password.trim() !== '') ignoredPasswords += 1;
    const login = raw.values.login.trim();
    const checked = checkRow(raw);
    if ('problems' in checked) {
      return {
        raw,
        login,
        action: 'fail',
        problems: checked.problems.map((p) => ({
          kind: p.columns.some((c) => PHONE_COLUMNS.includes(c)) ? 'invalid-phone' : 'invalid',
          message: p.message,
        })),
      };
    }
    const row = checked.row;
    const earlier = firstLine.get(login);
    if (earlier !== undefined)
      return {
        raw,
        login,
        action: 'fail',
        row,
        problems: [{ kind: 'invalid', message: `${COLUMNS.login} ${login} is on line ${earlier} already` }],
      };
    firstLine.set(login, raw.line);
    if (directory.userIdByLogin.has(login)) return { raw, login, action: 'skip', row, problems: [] };
    const problems = identityProblems(row, directory.identityManagementType);
    const routingProfileId = directory.routingProfiles.idByName.get(row.routingProfile);
    if (!routingProfileId)
      problems.push({
        kind: 'missing-routing-profile',
        name: row.routingProfile,
        message: `routing profile "${row.routingProfile}" does not exist in the instance`,
      });
    const securityProfileIds: string[] = [];
    for (const name of row.securityProfiles) {
      const id = directory.securityProfiles.idByName.get(name);
      if (id) securityProfileIds.push(id);
      else
        problems.push({
          kind: 'missing-security-profile',
          name,
          message: `security profile "${name}" does not exist in the instance`,
        });
    }
    // The path of names from level one; a group's own name alone is taken when no other group has it.
    const hierarchyGroupId = row.hierarchy
      ? (directory.hierarchyGroups.idByName.get(row.hierarchy) ??
        (row.hierarchy.includes(HIERARCHY_SEPARATOR)
          ? undefined
          : directory.hierarchyGroupIdByOwnName.get(row.hierarchy)))
      : undefined;
    if (row.hierarchy && !hierarchyGroupId)
      problems.push({
        kind: 'missing-hierarchy-group',
        name: row.hierarchy,
        message: `hierarchy group "${row.hierarchy}" does not exist in the instance (give its path of names from level one, e.g. Region/Site/Team)`,
      });
    if (problems.length || !routingProfileId) return { raw, login, action: 'fail', row, problems };
    return {
      raw,
      login,
      action: 'create',
      row,
      ids: { routingProfileId, securityProfileIds, ...(hierarchyGroupId ? { hierarchyGroupId } : {}) },
      problems: [],
    };
  });
  return { rows, ignoredPasswords };
}

/** The CreateUser request of a planned row (without the password). */
export function createUserRequest(instanceId: string, planned: PlannedRow): CreateUserRequest {
  const row = planned.row;
  const ids = planned.ids;
  if (!row || !ids) throw new Error(`Row on line ${planned.raw.line} is not ready to create`);
  const identity = {
    ...(row.firstName ? { FirstName: row.firstName } : {}),
    ...(row.lastName ? { LastName: row.lastName } : {}),
    ...(row.email ? { Email: row.email } : {}),
  };
  return {
    InstanceId: instanceId,
    Username: row.login,
    ...(Object.keys(identity).length ? { IdentityInfo: identity } : {}),
    PhoneConfig: {
      PhoneType: row.phoneType,
      AutoAccept: row.autoAccept,
      AfterContactWorkTimeLimit: row.acwSeconds,
      ...(row.deskPhoneNumber ? { DeskPhoneNumber: row.deskPhoneNumber } : {}),
    },
    SecurityProfileIds: ids.securityProfileIds,
    RoutingProfileId: ids.routingProfileId,
    ...(ids.hierarchyGroupId ? { HierarchyGroupId: ids.hierarchyGroupId } : {}),
    ...(Object.keys(row.tags).length ? { Tags: row.tags } : {}),
  };
}

/** One row's outcome. */
export interface ImportOutcome {
  line: number;
  login: string;
  outcome: 'created' | 'skipped' | 'failed';
  /** Why it was skipped or failed. */
  reason?: string;
  /** The row's values as the file had them (password emptied), for the failed-rows CSV. */
  values: Record<Column, string>;
}

/** What an import did. */
export interface ImportReport {
  created: ImportOutcome[];
  skipped: ImportOutcome[];
  failed: ImportOutcome[];
  /** Logins of the users created with a random password: they need a password reset. */
  needsPasswordReset: string[];
  ignoredPasswords: number;
}

/** How far an import is: rows attempted so far, of how many to create. */
export type ImportProgress = (done: number, total: number) => void;

/** The ports and knobs of {@link importUsers}. */
export interface ImportDependencies {
  connect: ConnectClient;
  directory: InstanceDirectory;
  /** Users per batch (≥ 1). */
  batchSize: number;
  /** Pause between batches, milliseconds. */
  pauseMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** A new password per user (default: `newPassword` of restore, crypto.randomBytes). */
  newPassword?: () => string;
  progress?: ImportProgress;
  abortSignal?: AbortSignal;
}

const blankPassword = (values: Record<Column, string>) => ({ ...values, password: '' });

/** An SDK error as one line, with every occurrence of `secret` masked (a service may echo input). */
function errorText(error: unknown, secret: string | undefined): string {
  const e = error as { name?: string; message?: string };
  const text = `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
  return (secret ? text.split(secret).join('***') : text).replace(/\s+/g, ' ').trim();
}

/**
 * Creates the planned users, `batchSize` at a time with `pauseMs` between batches, one CreateUser
 * each (2 a second by default; the client's per-operation limiter keeps to it). Skipped and failed
 * rows of the plan are reported as they are. A CreateUser that fails fails its row only;
 * DuplicateResourceException (the login was created meanwhile, or the SDK retried a create whose
 * answer was lost) skips it, saying so. The password of each new user (CONNECT_MANAGED instances
 * only) is made here, sent once and never kept; error texts have it masked.
 */
export async function importUsers(plan: ImportPlan, deps: ImportDependencies): Promise<ImportReport> {
  const sleep = deps.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const makePassword = deps.newPassword ?? (() => defaultNewPassword());
  const managed = deps.directory.identityManagementType === 'CONNECT_MANAGED';
  const report: ImportReport = {
    created: [],
    skipped: [],
    failed: [],
    needsPasswordReset: [],
    ignoredPasswords: plan.ignoredPasswords,
  };
  const outcome = (p: PlannedRow, kind: ImportOutcome['outcome'], reason?: string): ImportOutcome => ({
    line: p.raw.line,
    login: p.login,
    outcome: kind,
    ...(reason ? { reason } : {}),
    values: blankPassword(p.raw.values),
  });
  for (const p of plan.rows) {
    if (p.action === 'skip') report.skipped.push(outcome(p, 'skipped', 'user login exists in the instance'));
    if (p.action === 'fail')
      report.failed.push(outcome(p, 'failed', p.problems.map((x) => x.message).join('; ')));
  }
  const toCreate = plan.rows.filter((p) => p.action === 'create');
  const batchSize = Math.max(1, Math.floor(deps.batchSize));
  let done = 0;
  deps.progress?.(0, toCreate.length);
  for (let start = 0; start < toCreate.length; start += batchSize) {
    if (start > 0 && deps.pauseMs > 0) await sleep(deps.pauseMs);
    for (const p of toCreate.slice(start, start + batchSize)) {
      let password: string | undefined = managed ? makePassword() : undefined;
      try {
        await deps.connect.send(
          new CreateUserCommand({
            ...createUserRequest(deps.directory.instanceId, p),
            // Write-only: made above, sent once, never kept, logged or returned.
            ...(password ? { Password: password } : {}),
          }),
          { abortSignal: deps.abortSignal },
        );
        report.created.push(outcome(p, 'created'));
        if (managed) report.needsPasswordReset.push(p.login);
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name === 'DuplicateResourceException')
          report.skipped.push(
            outcome(
              p,
              'skipped',
              'CreateUser answered DuplicateResourceException: the login exists now (if this run created it before an answer was lost, it needs a password reset)',
            ),
          );
        else report.failed.push(outcome(p, 'failed', errorText(error, password)));
      } finally {
        password = undefined;
      }
      done += 1;
      deps.progress?.(done, toCreate.length);
    }
  }
  const byLine = (a: ImportOutcome, b: ImportOutcome) => a.line - b.line;
  report.skipped.sort(byLine);
  report.failed.sort(byLine);
  return report;
}

/** The failed-rows CSV: the layout plus an `error` column, one row per failed row, password empty. */
export function failedRowsCsv(report: ImportReport): string {
  return formatUsersCsv(
    report.failed.map((f) => ({ values: f.values, error: f.reason ?? '' })),
    { withError: true },
  );
}
