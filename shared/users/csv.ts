/**
 * The bulk-user CSV layout: the columns of the Amazon Connect admin website's "Add users in bulk"
 * template, how a row is read and checked (zod), and how rows are written back (csv-stringify).
 *
 * Columns, header text exactly as the console's template has it (Amazon Connect Administrator
 * Guide, "Add users to Amazon Connect", https://docs.aws.amazon.com/connect/latest/adminguide/user-management.html,
 * section "Add users in bulk from a csv file": the template is downloaded from the admin website;
 * its header row, for instances that store users in Connect, is
 * `first name,last name,email address,password,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),ACW timeout (seconds)`,
 * as copies of the template in public Connect tooling show it). Two columns follow that the
 * template lacks:
 * - `UserHierarchy`: the hierarchy group as its path of group names from level one, joined by `/`
 *   (`North America/Seattle/Tier 1 Support`), the column and form of the AWS Contact Center blog's
 *   bulk tool ("Create and update agents in bulk with Amazon Connect",
 *   https://aws.amazon.com/blogs/contact-center/create-and-update-agents-in-bulk-with-amazon-connect/).
 * - `tags`: the user's tags as a JSON object (`{"Team":"Sales"}`): tag keys may hold `=` and `:`, and
 *   values anything, so no separator would be safe (connect-vault's choice).
 *
 * Security profiles are names separated by `|`; phone type `soft` or `desk` (`SOFT_PHONE` and
 * `DESK_PHONE` are read too); auto accept `yes` or `no`; the ACW timeout in whole seconds. The
 * password column is never filled: export leaves it empty, import ignores what it holds (new users
 * get a random password) and the failed-rows file empties it.
 *
 * @packageDocumentation
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';

/** The header of each column, as the file spells it. */
export const COLUMNS = {
  firstName: 'first name',
  lastName: 'last name',
  email: 'email address',
  password: 'password',
  login: 'user login',
  routingProfile: 'routing profile name',
  securityProfiles: 'security_profile_name_1|security_profile_name_2',
  phoneType: 'phone type (soft/desk)',
  phoneNumber: 'phone number',
  autoAccept: 'soft phone auto accept (yes/no)',
  acw: 'ACW timeout (seconds)',
  hierarchy: 'UserHierarchy',
  tags: 'tags',
} as const;

/** A column, by its key in {@link COLUMNS}. */
export type Column = keyof typeof COLUMNS;

/** The columns in file order. */
export const COLUMN_ORDER: readonly Column[] = Object.keys(COLUMNS) as Column[];

/** The extra column of the failed-rows file: why the row failed. Import accepts and ignores it. */
export const ERROR_COLUMN = 'error';

/** Columns a file must have: without them no user can be created. */
const REQUIRED_COLUMNS: readonly Column[] = ['login', 'routingProfile', 'securityProfiles'];

/** One data row as the file holds it: every column's text (empty when absent), and its line. */
export interface RawRow {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  values: Record<Column, string>;
}

/** A CSV file that cannot be read as the layout: bad CSV, a missing or unknown column. */
export class UsersCsvError extends Error {
  override readonly name = 'UsersCsvError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const normalise = (header: string) => header.trim().toLowerCase();
const BY_HEADER = new Map(COLUMN_ORDER.map((c) => [normalise(COLUMNS[c]), c]));

/**
 * Reads a bulk-user CSV (UTF-8, a BOM allowed, header row first). Headers match the layout's
 * ignoring case and surrounding spaces; columns may come in any order; the optional ones may be
 * left out; the failed-rows file's `error` column is ignored. Blank lines are skipped.
 * @throws UsersCsvError for text that is not CSV, a row with another number of fields than the
 *   header, an unknown column, a column given twice, or a missing required column (user login,
 *   routing profile name, security profiles).
 */
export function parseUsersCsv(text: string): RawRow[] {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      // A quote inside an unquoted field (`{"Team":"A"}` typed by hand) is taken as text.
      relax_quotes: true,
    }) as string[][];
  } catch (error) {
    throw new UsersCsvError(`Not a readable CSV file: ${(error as Error).message}`, { cause: error });
  }
  const [header, ...rows] = records;
  if (!header) throw new UsersCsvError('The CSV file is empty: it needs a header row.');
  const columns: Array<Column | undefined> = [];
  const seen = new Set<Column>();
  for (const name of header) {
    if (normalise(name) === ERROR_COLUMN) {
      columns.push(undefined);
      continue;
    }
    const column = BY_HEADER.get(normalise(name));
    if (!column)
      throw new UsersCsvError(
        `Unknown column "${name}". The columns are: ${COLUMN_ORDER.map((c) => COLUMNS[c]).join(', ')}.`,
      );
    if (seen.has(column)) throw new UsersCsvError(`The column "${name}" is given twice.`);
    seen.add(column);
    columns.push(column);
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  if (missing.length)
    throw new UsersCsvError(`Missing column(s): ${missing.map((c) => `"${COLUMNS[c]}"`).join(', ')}.`);
  return rows.map((fields, index) => {
    const values = Object.fromEntries(COLUMN_ORDER.map((c) => [c, ''])) as Record<Column, string>;
    fields.forEach((field, i) => {
      const column = columns[i];
      if (column) values[column] = field;
    });
    return { line: index + 2, values };
  });
}

/**
 * Writes rows in the layout, header first, every column, quoted where CSV needs it. The password
 * column is always written empty, whatever the rows hold. With `withError`, an `error` column
 * follows (the failed-rows file).
 */
export function formatUsersCsv(
  rows: ReadonlyArray<{ values: Record<Column, string>; error?: string }>,
  options: { withError?: boolean } = {},
): string {
  const header = [...COLUMN_ORDER.map((c) => COLUMNS[c]), ...(options.withError ? [ERROR_COLUMN] : [])];
  const body = rows.map((row) => [
    ...COLUMN_ORDER.map((c) => (c === 'password' ? '' : row.values[c])),
    ...(options.withError ? [row.error ?? ''] : []),
  ]);
  return stringify([header, ...body]);
}

/** Connect's phone types (UserPhoneConfig.PhoneType). */
export type PhoneType = 'SOFT_PHONE' | 'DESK_PHONE';

/** A row read and checked: what CreateUser needs, by names (not yet resolved to ids). */
export interface UserRow {
  line: number;
  login: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  routingProfile: string;
  securityProfiles: string[];
  phoneType: PhoneType;
  /** The desk phone number (E.164), DESK_PHONE only. */
  deskPhoneNumber?: string;
  autoAccept: boolean;
  /** After-contact-work timeout, seconds (0: no limit). */
  acwSeconds: number;
  /** The hierarchy group's path of names, `/`-joined, if any. */
  hierarchy?: string;
  tags: Record<string, string>;
}

/** The documented maximum ACW timeout: 2,000,000 seconds (24 days; UserPhoneConfig docs). */
export const ACW_MAX_SECONDS = 2_000_000;
const E164 = /^\+[1-9]\d{1,14}$/;
/** Tag keys: 1–128 characters of the TagKey pattern, never starting with `aws:` (API model). */
const TAG_KEY = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

const text = z.string().transform((s) => s.trim());
const optionalText = text.transform((s) => (s === '' ? undefined : s));

/** The zod schema of a row's values; issues name the column by its header. */
const rowSchema = z
  .object({
    login: text.pipe(z.string().min(1, 'is required')),
    firstName: optionalText.pipe(z.string().max(255, 'is longer than 255 characters').optional()),
    lastName: optionalText.pipe(z.string().max(300, 'is longer than 300 characters').optional()),
    email: optionalText.pipe(z.email('is not an e-mail address').optional()),
    routingProfile: text.pipe(z.string().min(1, 'is required').max(127, 'is longer than 127 characters')),
    securityProfiles: text.transform((s, ctx) => {
      const names = s
        .split('|')
        .map((n) => n.trim())
        .filter(Boolean);
      if (names.length === 0)
        ctx.addIssue({ code: 'custom', message: 'needs at least one security profile' });
      if (names.length > 10)
        ctx.addIssue({ code: 'custom', message: 'names more than 10 security profiles' });
      return [...new Set(names)];
    }),
    phoneType: text.transform((s, ctx): PhoneType => {
      const v = s.toLowerCase();
      if (v === '' || v === 'soft' || v === 'soft_phone') return 'SOFT_PHONE';
      if (v === 'desk' || v === 'desk_phone') return 'DESK_PHONE';
      ctx.addIssue({ code: 'custom', message: `must be soft or desk, not "${s}"` });
      return 'SOFT_PHONE';
    }),
    phoneNumber: optionalText.pipe(
      z.string().regex(E164, 'must be an E.164 number such as +12065550100').optional(),
    ),
    autoAccept: text.transform((s, ctx) => {
      const v = s.toLowerCase();
      if (v === '' || v === 'no' || v === 'false') return false;
      if (v === 'yes' || v === 'true') return true;
      ctx.addIssue({ code: 'custom', message: `must be yes or no, not "${s}"` });
      return false;
    }),
    acw: text.transform((s, ctx) => {
      if (s === '') return 0;
      const n = Number(s);
      if (!/^\d+$/.test(s) || n > ACW_MAX_SECONDS)
        ctx.addIssue({
          code: 'custom',
          message: `must be a whole number of seconds from 0 to ${ACW_MAX_SECONDS}, not "${s}"`,
        });
      return n;
    }),
    hierarchy: optionalText,
    tags: text.transform((s, ctx) => {
      if (s === '') return {};
      let value: unknown;
      try {
        value = JSON.parse(s);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"Team":"Sales"}' });
        return {};
      }
      const tags = z.record(z.string(), z.string().max(256)).safeParse(value);
      if (!tags.success || Array.isArray(value)) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a JSON object of strings, values up to 256 characters',
        });
        return {};
      }
      const keys = Object.keys(tags.data);
      const bad = keys.find((k) => !TAG_KEY.test(k));
      if (bad !== undefined)
        ctx.addIssue({
          code: 'custom',
          message: `has a key Connect rejects: "${bad}" (1-128 characters, not aws:)`,
        });
      if (keys.length > 50) ctx.addIssue({ code: 'custom', message: 'has more than 50 tags' });
      return tags.data;
    }),
  })
  .superRefine((row, ctx) => {
    if (row.phoneType === 'DESK_PHONE' && !row.phoneNumber)
      ctx.addIssue({ code: 'custom', path: ['phoneNumber'], message: 'is required for a desk phone' });
    if (row.phoneType === 'SOFT_PHONE' && row.phoneNumber)
      ctx.addIssue({
        code: 'custom',
        path: ['phoneNumber'],
        message: 'is for desk phones only: leave it empty for a soft phone',
      });
  });

/** Why a row was refused: its problems, each naming the column. */
export interface RowProblem {
  /** The columns at fault. */
  columns: Column[];
  message: string;
}

/** The phone columns: problems in them are the "invalid phone settings" of a dry run. */
export const PHONE_COLUMNS: readonly Column[] = ['phoneType', 'phoneNumber', 'autoAccept', 'acw'];

/**
 * Checks one row's values against the layout: required columns, an e-mail form, phone settings
 * (type, E.164 desk number required for and only for desk phones, auto accept, ACW 0–2,000,000 s),
 * 1–10 security profiles, tags. Returns the row or its problems; never throws.
 */
export function checkRow(raw: RawRow): { row: UserRow } | { problems: RowProblem[] } {
  const parsed = rowSchema.safeParse(raw.values);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => {
        const column = issue.path[0] as Column;
        return { columns: [column], message: `${COLUMNS[column]} ${issue.message}` };
      }),
    };
  }
  const v = parsed.data;
  return {
    row: {
      line: raw.line,
      login: v.login,
      ...(v.firstName !== undefined ? { firstName: v.firstName } : {}),
      ...(v.lastName !== undefined ? { lastName: v.lastName } : {}),
      ...(v.email !== undefined ? { email: v.email } : {}),
      routingProfile: v.routingProfile,
      securityProfiles: v.securityProfiles,
      phoneType: v.phoneType,
      ...(v.phoneNumber !== undefined ? { deskPhoneNumber: v.phoneNumber } : {}),
      autoAccept: v.autoAccept,
      acwSeconds: v.acw,
      ...(v.hierarchy !== undefined ? { hierarchy: v.hierarchy } : {}),
      tags: v.tags,
    },
  };
}
