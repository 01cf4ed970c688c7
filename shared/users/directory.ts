/**
 * What a bulk-user export or import needs to know about an instance, read once: its identity
 * management, the routing profiles and security profiles by name, the hierarchy groups by path,
 * and the users by login.
 *
 * @packageDocumentation
 */
import {
  type ConnectClient,
  DescribeInstanceCommand,
  DescribeUserHierarchyGroupCommand,
  type HierarchyPath,
  paginateListRoutingProfiles,
  paginateListSecurityProfiles,
  paginateListUserHierarchyGroups,
  paginateListUsers,
} from '@aws-sdk/client-connect';

/** The separator of a hierarchy path's group names (`Region/Site/Team`). */
export const HIERARCHY_SEPARATOR = '/';

/** Names and ids of one kind, both ways. */
export interface NameIndex {
  idByName: Map<string, string>;
  nameById: Map<string, string>;
}

/** An instance's names, as export and import use them. */
export interface InstanceDirectory {
  instanceId: string;
  /** DescribeInstance `IdentityManagementType`: CONNECT_MANAGED, SAML or EXISTING_DIRECTORY. */
  identityManagementType: string;
  routingProfiles: NameIndex;
  securityProfiles: NameIndex;
  /** Hierarchy groups by their path of names from level one, `/`-joined. */
  hierarchyGroups: NameIndex;
  /** Hierarchy groups by their own name alone (a name two groups share is left out). */
  hierarchyGroupIdByOwnName: Map<string, string>;
  /** Users: login → id. */
  userIdByLogin: Map<string, string>;
}

const PAGE = 100;

function index(entries: ReadonlyArray<{ Id?: string; Name?: string }>): NameIndex {
  const idByName = new Map<string, string>();
  const nameById = new Map<string, string>();
  for (const { Id, Name } of entries) {
    if (!Id || Name === undefined) continue;
    idByName.set(Name, Id);
    nameById.set(Id, Name);
  }
  return { idByName, nameById };
}

/** The path of a hierarchy group, level one first (`HierarchyPath` from DescribeUserHierarchyGroup). */
export function hierarchyPathOf(path: HierarchyPath | undefined, ownName: string): string {
  const names = [path?.LevelOne, path?.LevelTwo, path?.LevelThree, path?.LevelFour, path?.LevelFive]
    .map((level) => level?.Name)
    .filter((name): name is string => Boolean(name));
  return (names.length ? names : [ownName]).join(HIERARCHY_SEPARATOR);
}

/** Runs `work` over `items`, at most `limit` at a time, keeping their order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Reads an instance's directory. Connect: DescribeInstance, ListRoutingProfiles,
 * ListSecurityProfiles, ListUserHierarchyGroups, DescribeUserHierarchyGroup per group (for its path
 * of names; at 10 a second by default), ListUsers, every page (100 a call).
 * @throws the SDK's errors (e.g. ResourceNotFoundException for an unknown instance).
 */
export async function readDirectory(
  connect: ConnectClient,
  instanceId: string,
  options: { abortSignal?: AbortSignal } = {},
): Promise<InstanceDirectory> {
  const send = { abortSignal: options.abortSignal };
  const { Instance } = await connect.send(new DescribeInstanceCommand({ InstanceId: instanceId }), send);
  const identityManagementType = Instance?.IdentityManagementType;
  if (!identityManagementType)
    throw new Error(`DescribeInstance returned no IdentityManagementType for instance ${instanceId}`);
  const collect = async <P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined) => {
    const out: T[] = [];
    for await (const page of pages) out.push(...(items(page) ?? []));
    return out;
  };
  const paging = { client: connect, pageSize: PAGE };
  const [routing, security, groups, users] = await Promise.all([
    collect(
      paginateListRoutingProfiles(paging, { InstanceId: instanceId }),
      (p) => p.RoutingProfileSummaryList,
    ),
    collect(
      paginateListSecurityProfiles(paging, { InstanceId: instanceId }),
      (p) => p.SecurityProfileSummaryList,
    ),
    collect(
      paginateListUserHierarchyGroups(paging, { InstanceId: instanceId }),
      (p) => p.UserHierarchyGroupSummaryList,
    ),
    collect(paginateListUsers(paging, { InstanceId: instanceId }), (p) => p.UserSummaryList),
  ]);
  const described = await mapLimited(groups, 5, async (group) => {
    const { HierarchyGroup } = await connect.send(
      new DescribeUserHierarchyGroupCommand({ InstanceId: instanceId, HierarchyGroupId: group.Id }),
      send,
    );
    return { Id: group.Id, Name: hierarchyPathOf(HierarchyGroup?.HierarchyPath, group.Name ?? '') };
  });
  const ownNames = new Map<string, string | undefined>();
  for (const group of groups) {
    if (!group.Id || group.Name === undefined) continue;
    ownNames.set(group.Name, ownNames.has(group.Name) ? undefined : group.Id);
  }
  const hierarchyGroupIdByOwnName = new Map(
    [...ownNames].filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const userIdByLogin = new Map<string, string>();
  for (const user of users) if (user.Username && user.Id) userIdByLogin.set(user.Username, user.Id);
  return {
    instanceId,
    identityManagementType,
    routingProfiles: index(routing),
    securityProfiles: index(security),
    hierarchyGroups: index(described),
    hierarchyGroupIdByOwnName,
    userIdByLogin,
  };
}
