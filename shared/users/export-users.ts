/**
 * `users export`: every user of an instance as a row of the bulk-user CSV layout (`csv.ts`), by
 * names, never ids, and never a password.
 *
 * @packageDocumentation
 */
import { type ConnectClient, DescribeUserCommand, type User } from '@aws-sdk/client-connect';
import { COLUMN_ORDER, type Column, formatUsersCsv } from './csv.js';
import { type InstanceDirectory, mapLimited, readDirectory } from './directory.js';

/** DescribeUser calls in flight at once (the client's limiter holds them to the quota, 10 a second). */
const DESCRIBE_CONCURRENCY = 5;

/** How far an export is: users described so far, of how many. */
export type ExportProgress = (done: number, total: number) => void;

/** The result of {@link exportUsers}. */
export interface UsersExport {
  /** The file's text: header and one row per user, sorted by login. */
  csv: string;
  /** Users written. */
  count: number;
}

/** Sorted `{"k":"v"}`, or empty for no tags. */
function tagsText(tags: Record<string, string> | undefined): string {
  const entries = Object.entries(tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? JSON.stringify(Object.fromEntries(entries)) : '';
}

/**
 * A user's row: identity, routing profile, security profiles (sorted, `|`-joined) and hierarchy
 * path by name; phone settings from `PhoneConfig`, where DescribeUser gives the VOICE channel's
 * (its per-channel lists for chat and tasks have no column and are not exported); tags; the
 * password column empty.
 * @throws Error when the user names a routing profile, security profile or hierarchy group the
 *   instance's lists do not have.
 */
export function rowOfUser(user: User, directory: InstanceDirectory): Record<Column, string> {
  const login = user.Username ?? '';
  const name = (index: Map<string, string>, id: string | undefined, what: string) => {
    const found = id ? index.get(id) : undefined;
    if (found === undefined)
      throw new Error(`User ${login}: ${what} ${id ?? '(none)'} is not in the instance's list`);
    return found;
  };
  const phone = user.PhoneConfig ?? {};
  const desk = phone.PhoneType === 'DESK_PHONE';
  const values: Record<Column, string> = {
    firstName: user.IdentityInfo?.FirstName ?? '',
    lastName: user.IdentityInfo?.LastName ?? '',
    email: user.IdentityInfo?.Email ?? '',
    password: '',
    login,
    routingProfile: name(directory.routingProfiles.nameById, user.RoutingProfileId, 'routing profile'),
    securityProfiles: (user.SecurityProfileIds ?? [])
      .map((id) => name(directory.securityProfiles.nameById, id, 'security profile'))
      .sort()
      .join('|'),
    phoneType: desk ? 'desk' : 'soft',
    phoneNumber: desk ? (phone.DeskPhoneNumber ?? '') : '',
    autoAccept: phone.AutoAccept ? 'yes' : 'no',
    acw: String(phone.AfterContactWorkTimeLimit ?? 0),
    hierarchy: user.HierarchyGroupId
      ? name(directory.hierarchyGroups.nameById, user.HierarchyGroupId, 'hierarchy group')
      : '',
    tags: tagsText(user.Tags),
  };
  return Object.fromEntries(COLUMN_ORDER.map((c) => [c, values[c]])) as Record<Column, string>;
}

/**
 * Exports every user of an instance in the bulk-user CSV layout. Connect: what `readDirectory`
 * reads (DescribeInstance, ListRoutingProfiles, ListSecurityProfiles, ListUserHierarchyGroups,
 * DescribeUserHierarchyGroup per group, ListUsers), then DescribeUser per user (10 a second by
 * default: 5,000 users take about 8 minutes).
 * @throws the SDK's errors (ResourceNotFoundException for an unknown instance), or Error for a user
 *   whose routing profile, security profile or group is not listed.
 */
export async function exportUsers(
  connect: ConnectClient,
  instanceId: string,
  options: { progress?: ExportProgress; abortSignal?: AbortSignal } = {},
): Promise<UsersExport> {
  const directory = await readDirectory(connect, instanceId, options);
  const ids = [...directory.userIdByLogin.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let done = 0;
  options.progress?.(0, ids.length);
  const rows = await mapLimited(ids, DESCRIBE_CONCURRENCY, async ([, id]) => {
    const { User } = await connect.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: id }), {
      abortSignal: options.abortSignal,
    });
    if (!User) throw new Error(`DescribeUser returned no user for ${id}`);
    done += 1;
    options.progress?.(done, ids.length);
    return { values: rowOfUser(User, directory) };
  });
  return { csv: formatUsersCsv(rows), count: rows.length };
}
