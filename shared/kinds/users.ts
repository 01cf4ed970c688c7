/**
 * Users: read with ListUsers, then DescribeUser per user (Search drops e-mail, secondary e-mail and
 * mobile: connect-api-facts.md §5) and ListUserProficiencies per user (no Describe or Search returns
 * proficiencies); incremental backups list every user's proficiencies again and describe again only
 * the users whose ListUsers LastModifiedTime, tags or proficiencies moved. Restored with CreateUser
 * (a random password for CONNECT_MANAGED instances, never stored or logged), the UpdateUser… calls
 * of the parts that differ, and Associate/Update/DisassociateUserProficiencies.
 */
import {
  AssociateUserProficienciesCommand,
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  DisassociateUserProficienciesCommand,
  paginateListUserProficiencies,
  paginateListUsers,
  paginateSearchUsers,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserProficienciesCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
  type User,
  type UserIdentityInfo,
  type UserPhoneConfig,
  type UserProficiency,
} from '@aws-sdk/client-connect';
import { predefinedAttributeId, predefinedAttributeName } from './predefined-attributes.js';
import { CONCURRENCY, LIST_PAGE, notStored, opts, tagsById, tagsPart, timePart } from './support/describe.js';
import { collect, documentOf, fingerprint, itemsOf, mapUnordered } from './support/read.js';
import { deletion } from './support/removal.js';
import { entityOf, sendOptions, tagsMember, text, updateTags, userTags } from './support/restore.js';
import type { DeclaredReference, KindRestore, ReadContext, ResourceKind, StoredDocument } from './types.js';

function listUsers(ctx: ReadContext) {
  return itemsOf(
    paginateListUsers(
      { client: ctx.connect, pageSize: LIST_PAGE },
      { InstanceId: ctx.instanceId },
      opts(ctx),
    ),
    (page) => page.UserSummaryList,
  );
}

/** ListUserProficiencies pages hold 100 proficiencies (a user has at most 10 by default). */
const PROFICIENCY_PAGE = 100;

/** A proficiency as stored: the members the API returns, nothing else. */
type StoredProficiency = Pick<UserProficiency, 'AttributeName' | 'AttributeValue' | 'Level'>;

/** By attribute name, then value, in code-unit order (the same on every machine, whatever its locale). */
const proficiencyOrder = (a: StoredProficiency, b: StoredProficiency) => {
  const x = `${a.AttributeName ?? ''}\u0000${a.AttributeValue ?? ''}`;
  const y = `${b.AttributeName ?? ''}\u0000${b.AttributeValue ?? ''}`;
  return x === y ? 0 : x < y ? -1 : 1;
};

/**
 * A user's proficiencies (ListUserProficiencies, every page), sorted by attribute name and value so
 * that equal lists store equal bytes.
 * @throws the SDK's service errors once retries are exhausted.
 */
async function listProficiencies(ctx: ReadContext, userId: string): Promise<StoredProficiency[]> {
  const items = await collect(
    itemsOf(
      paginateListUserProficiencies(
        { client: ctx.connect, pageSize: PROFICIENCY_PAGE },
        { InstanceId: ctx.instanceId, UserId: userId },
        opts(ctx),
      ),
      (page) => page.UserProficiencyList,
    ),
  );
  return items
    .map(({ AttributeName, AttributeValue, Level }) => ({ AttributeName, AttributeValue, Level }))
    .sort(proficiencyOrder);
}

/**
 * One user's document: DescribeUser, with the proficiencies beside it (`related.proficiencies`),
 * read now unless the caller already has them.
 */
async function describeUser(
  ctx: ReadContext,
  userId: string,
  known?: StoredProficiency[],
): Promise<StoredDocument> {
  const [{ User }, proficiencies] = await Promise.all([
    ctx.connect.send(new DescribeUserCommand({ InstanceId: ctx.instanceId, UserId: userId }), opts(ctx)),
    known ?? listProficiencies(ctx, userId),
  ]);
  if (!User) throw new Error(`DescribeUser returned no user for ${userId}`);
  return documentOf('users', User, { id: User.Id, arn: User.Arn, name: User.Username }, { proficiencies });
}

const userSignal = (modified: unknown, tags: unknown, proficiencies: unknown) =>
  `modified=${timePart(modified)};tags=${tagsPart(tags)};proficiencies=${fingerprint(proficiencies ?? [])}`;

/** The stored proficiencies of a user document; undefined for a snapshot taken before they were read. */
function proficienciesOf(document: StoredDocument): StoredProficiency[] | undefined {
  const list = document.related?.proficiencies;
  return Array.isArray(list) ? (list as StoredProficiency[]) : undefined;
}

/** A proficiency in a restore state: the attribute by its document id, so that restore remaps it. */
interface ProficiencyPart {
  Attribute: string;
  AttributeValue: string;
  Level: number;
}

const proficiencyKey = (p: ProficiencyPart) => `${p.Attribute}\u0000${p.AttributeValue}`;

/** The proficiencies of a state in the API's terms (target ids already resolved). */
function apiProficiencies(list: unknown): UserProficiency[] {
  return ((list as ProficiencyPart[] | undefined) ?? []).map((p) => ({
    AttributeName: predefinedAttributeName(p.Attribute),
    AttributeValue: p.AttributeValue,
    Level: p.Level,
  }));
}

/**
 * Brings a user's proficiencies from `current` to `desired`: DisassociateUserProficiencies for the
 * pairs (attribute, value) no longer wanted (first, so the 10-per-user quota has room), then
 * UpdateUserProficiencies for new levels, then AssociateUserProficiencies for new pairs.
 */
async function writeProficiencies(
  ctx: Parameters<KindRestore['create']>[0],
  userId: string,
  current: unknown,
  desired: unknown,
): Promise<void> {
  const have = new Map(((current as ProficiencyPart[] | undefined) ?? []).map((p) => [proficiencyKey(p), p]));
  const want = new Map(((desired as ProficiencyPart[] | undefined) ?? []).map((p) => [proficiencyKey(p), p]));
  const base = { InstanceId: ctx.instanceId, UserId: userId };
  const remove = [...have.entries()].filter(([key]) => !want.has(key)).map(([, p]) => p);
  const relevel = [...want.entries()].filter(([key, p]) => have.has(key) && have.get(key)?.Level !== p.Level);
  const add = [...want.entries()].filter(([key]) => !have.has(key)).map(([, p]) => p);
  if (remove.length) {
    await ctx.connect.send(
      new DisassociateUserProficienciesCommand({
        ...base,
        UserProficiencies: apiProficiencies(remove).map(({ AttributeName, AttributeValue }) => ({
          AttributeName,
          AttributeValue,
        })),
      }),
      sendOptions(ctx),
    );
  }
  if (relevel.length) {
    await ctx.connect.send(
      new UpdateUserProficienciesCommand({
        ...base,
        UserProficiencies: apiProficiencies(relevel.map(([, p]) => p)),
      }),
      sendOptions(ctx),
    );
  }
  if (add.length) {
    await ctx.connect.send(
      new AssociateUserProficienciesCommand({ ...base, UserProficiencies: apiProficiencies(add) }),
      sendOptions(ctx),
    );
  }
}

/** SearchUsers pages hold 500 users, with their tags (and no LastModifiedTime). */
const SEARCH_USERS_PAGE = 500;

const CHANNEL_CONFIGS = [
  'AutoAcceptConfigs',
  'AfterContactWorkConfigs',
  'PhoneNumberConfigs',
  'PersistentConnectionConfigs',
  'VoiceEnhancementConfigs',
] as const;

/**
 * The legacy `PhoneConfig` members and the per-channel list that replaces each. CreateUser: "Fields
 * in PhoneConfig cannot be set simultaneously with their corresponding channel-specific
 * configuration parameters" (AutoAccept / AutoAcceptConfigs, AfterContactWorkTimeLimit /
 * AfterContactWorkConfigs, PhoneType and the desk number / PhoneNumberConfigs, PersistentConnection /
 * PersistentConnectionConfigs).
 */
const PHONE_CONFIG_TWINS: ReadonlyArray<{
  members: ReadonlyArray<keyof UserPhoneConfig>;
  list: (typeof CHANNEL_CONFIGS)[number];
}> = [
  { members: ['AutoAccept'], list: 'AutoAcceptConfigs' },
  { members: ['AfterContactWorkTimeLimit'], list: 'AfterContactWorkConfigs' },
  { members: ['PhoneType', 'DeskPhoneNumber'], list: 'PhoneNumberConfigs' },
  { members: ['PersistentConnection'], list: 'PersistentConnectionConfigs' },
];

/**
 * The `PhoneConfig` a restore may send beside the per-channel lists: DescribeUser returns both, but
 * CreateUser rejects a member with its twin, so the per-channel list wins (it is the documented,
 * recommended form and holds every channel) and the member is left out. Undefined when nothing is left.
 */
export function phoneConfigBesideChannels(desired: Record<string, unknown>): UserPhoneConfig | undefined {
  const phone = desired.PhoneConfig as UserPhoneConfig | undefined;
  if (!phone) return undefined;
  const kept: Record<string, unknown> = { ...phone };
  for (const { members, list } of PHONE_CONFIG_TWINS) {
    if (desired[list] === undefined) continue;
    for (const member of members) delete kept[member];
  }
  return Object.values(kept).some((v) => v !== undefined) ? (kept as UserPhoneConfig) : undefined;
}

/** IdentityInfo as CreateUser takes it: SAML instances reject an Email (UserIdentityInfo docs). */
function identityFor(ctx: { identityManagementType?: string }, desired: Record<string, unknown>) {
  const info = desired.IdentityInfo as UserIdentityInfo | undefined;
  if (!info || ctx.identityManagementType !== 'SAML' || info.Email === undefined) return info;
  const { Email: _email, ...rest } = info;
  return rest;
}

type ChannelEntry = { Channel?: string } & Record<string, unknown>;

/**
 * The members of each per-channel list that UpdateUserPhoneConfig writes, and on which channels.
 * Without UpdateUserConfig (the service authorization reference lists no `connect:UpdateUserConfig`
 * action, so the restore role cannot be allowed it), an existing user's per-channel settings change
 * only through PhoneConfig: its AutoAccept, PhoneType / DeskPhoneNumber and PersistentConnection are
 * the VOICE channel's, and its AfterContactWorkTimeLimit "will always set the same ACW timeouts to
 * all channels" (UpdateUserPhoneConfig docs). VoiceEnhancementConfigs has no PhoneConfig twin.
 */
const PHONE_CONFIG_WRITES: Partial<
  Record<(typeof CHANNEL_CONFIGS)[number], { members: readonly string[]; allChannels: boolean }>
> = {
  AutoAcceptConfigs: { members: ['AutoAccept'], allChannels: false },
  PhoneNumberConfigs: { members: ['PhoneType', 'PhoneNumber'], allChannels: false },
  PersistentConnectionConfigs: { members: ['PersistentConnection'], allChannels: false },
  AfterContactWorkConfigs: { members: ['AfterContactWorkConfig'], allChannels: true },
};

const byChannel = (list: unknown) =>
  new Map(((list as ChannelEntry[] | undefined) ?? []).map((entry) => [entry.Channel ?? '', entry]));

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The ACW limit of an AfterContactWorkConfigs entry (seconds), or undefined. */
const acwLimit = (entry: ChannelEntry | undefined) =>
  (entry?.AfterContactWorkConfig as { AfterContactWorkTimeLimit?: number } | undefined)
    ?.AfterContactWorkTimeLimit;

/**
 * Why the changed per-channel lists of an existing user cannot be written with
 * UpdateUserPhoneConfig ("<list> <channel>" for each), or undefined when they can. A list can change
 * only in the members PhoneConfig carries: on the VOICE entry (which both sides must have), or for
 * the ACW limit one value on the same channels, every other member unchanged.
 */
export function channelsBeyondPhoneConfig(
  changed: readonly string[],
  current: Record<string, unknown>,
  desired: Record<string, unknown>,
): string[] {
  const beyond: string[] = [];
  for (const list of CHANNEL_CONFIGS) {
    if (!changed.includes(list)) continue;
    const writes = PHONE_CONFIG_WRITES[list];
    const now = byChannel(current[list]);
    const want = byChannel(desired[list]);
    const channels = [...new Set([...now.keys(), ...want.keys()])].sort();
    const differing = channels.filter((channel) => !same(now.get(channel), want.get(channel)));
    if (!writes) {
      beyond.push(...differing.map((channel) => `${list} ${channel}`));
      continue;
    }
    const limits = new Set([...want.values()].map(acwLimit));
    for (const channel of differing) {
      const a = now.get(channel);
      const b = want.get(channel);
      const otherMembersSame =
        a !== undefined &&
        b !== undefined &&
        [...new Set([...Object.keys(a), ...Object.keys(b)])]
          .filter((member) => member !== 'Channel' && !writes.members.includes(member))
          .every((member) => same(a[member], b[member]));
      const acwOnly =
        !writes.allChannels ||
        (limits.size === 1 &&
          same(
            { ...(a?.AfterContactWorkConfig as object), AfterContactWorkTimeLimit: undefined },
            { ...(b?.AfterContactWorkConfig as object), AfterContactWorkTimeLimit: undefined },
          ));
      const channelOk = writes.allChannels || channel === 'VOICE';
      if (!(otherMembersSame && acwOnly && channelOk)) beyond.push(`${list} ${channel}`);
    }
  }
  return beyond;
}

/**
 * The PhoneConfig UpdateUserPhoneConfig takes for a desired user: its PhoneConfig with the VOICE
 * entries of the per-channel lists (and the one ACW limit of all channels) laid over it.
 */
export function phoneConfigForUpdate(desired: Record<string, unknown>): UserPhoneConfig {
  const phone: UserPhoneConfig = {
    ...((desired.PhoneConfig as UserPhoneConfig | undefined) ?? {}),
  } as UserPhoneConfig;
  const voice = (list: (typeof CHANNEL_CONFIGS)[number]) => byChannel(desired[list]).get('VOICE');
  const autoAccept = voice('AutoAcceptConfigs');
  if (typeof autoAccept?.AutoAccept === 'boolean') phone.AutoAccept = autoAccept.AutoAccept;
  const number = voice('PhoneNumberConfigs');
  if (number?.PhoneType) {
    phone.PhoneType = number.PhoneType as UserPhoneConfig['PhoneType'];
    if (typeof number.PhoneNumber === 'string') phone.DeskPhoneNumber = number.PhoneNumber;
    else delete phone.DeskPhoneNumber;
  }
  const persistent = voice('PersistentConnectionConfigs');
  if (typeof persistent?.PersistentConnection === 'boolean')
    phone.PersistentConnection = persistent.PersistentConnection;
  const limits = new Set([...byChannel(desired.AfterContactWorkConfigs).values()].map(acwLimit));
  const [limit] = [...limits];
  if (limits.size === 1 && limit !== undefined) phone.AfterContactWorkTimeLimit = limit;
  return phone;
}

const usersRestore: KindRestore = {
  // DeleteUser also removes the user's AGENT queue. USER quick connects naming the user are
  // removed before (quick connects come later in restore order, so earlier in removal order).
  remove: deletion('DeleteUser', (ctx, target) =>
    ctx.connect.send(
      new DeleteUserCommand({ InstanceId: ctx.instanceId, UserId: target.id }),
      sendOptions(ctx),
    ),
  ),
  writeOperations: [
    'CreateUser',
    'UpdateUserIdentityInfo',
    'UpdateUserPhoneConfig',
    'UpdateUserRoutingProfile',
    'UpdateUserSecurityProfiles',
    'UpdateUserHierarchy',
    'AssociateUserProficiencies',
    'UpdateUserProficiencies',
    'DisassociateUserProficiencies',
    'TagResource',
    'UntagResource',
  ],
  nameMember: 'Username',
  unordered: ['SecurityProfileIds', 'Proficiencies', ...CHANNEL_CONFIGS],
  // Written once the predefined attributes exist; a proficiency whose attribute will not exist in
  // the target is left out and reported, the user is restored without it.
  phases: { Proficiencies: 'links' },
  links: ['Proficiencies'],
  state(document) {
    const user = entityOf<User>(document);
    const proficiencies = proficienciesOf(document);
    return {
      Username: user.Username,
      IdentityInfo: user.IdentityInfo,
      PhoneConfig: user.PhoneConfig,
      SecurityProfileIds: user.SecurityProfileIds,
      RoutingProfileId: user.RoutingProfileId,
      HierarchyGroupId: user.HierarchyGroupId,
      ...Object.fromEntries(CHANNEL_CONFIGS.map((member) => [member, user[member]])),
      Tags: userTags(user.Tags),
      ...(proficiencies
        ? {
            Proficiencies: proficiencies.map(
              (p): ProficiencyPart => ({
                Attribute: predefinedAttributeId(p.AttributeName ?? ''),
                AttributeValue: p.AttributeValue ?? '',
                Level: p.Level ?? 0,
              }),
            ),
          }
        : {}),
    };
  },
  comparable(current, desired) {
    // A snapshot taken before proficiencies were read says nothing about them: leave the target's.
    if (desired.Proficiencies !== undefined) return current;
    const { Proficiencies: _unknown, ...rest } = current;
    return rest;
  },
  references(state) {
    const refs: DeclaredReference[] = [];
    const routing = text(state, 'RoutingProfileId');
    const group = text(state, 'HierarchyGroupId');
    if (routing) refs.push({ member: 'RoutingProfileId', kind: 'routing-profiles', value: routing });
    if (group) refs.push({ member: 'HierarchyGroupId', kind: 'user-hierarchy-groups', value: group });
    for (const id of (state.SecurityProfileIds as string[] | undefined) ?? [])
      refs.push({ member: 'SecurityProfileIds', kind: 'security-profiles', value: id });
    return refs;
  },
  cannotUpdate(changed, current, desired) {
    if (changed.includes('Username')) return 'users cannot be renamed through the Connect API';
    const beyond = channelsBeyondPhoneConfig(changed, current, desired);
    if (!beyond.length) return undefined;
    return `per-channel settings differ that UpdateUserPhoneConfig cannot write (${beyond.join(', ')}): only UpdateUserConfig writes them, and the IAM service authorization reference lists no connect:UpdateUserConfig action to allow it; set them in the Connect admin website`;
  },
  async create(ctx, desired, source) {
    const managed = ctx.identityManagementType === 'CONNECT_MANAGED';
    const directoryUserId = entityOf<User>(source).DirectoryUserId;
    const username = text(desired, 'Username') ?? source.name;
    const created = await ctx.connect.send(
      new CreateUserCommand({
        InstanceId: ctx.instanceId,
        Username: username,
        // Write-only: generated here, sent once, never kept, logged or returned.
        ...(managed ? { Password: ctx.newPassword() } : {}),
        ...(ctx.identityManagementType === 'EXISTING_DIRECTORY' && directoryUserId
          ? { DirectoryUserId: directoryUserId }
          : {}),
        IdentityInfo: identityFor(ctx, desired),
        PhoneConfig: phoneConfigBesideChannels(desired),
        SecurityProfileIds: (desired.SecurityProfileIds as string[] | undefined) ?? [],
        RoutingProfileId: text(desired, 'RoutingProfileId'),
        HierarchyGroupId: text(desired, 'HierarchyGroupId'),
        ...Object.fromEntries(
          CHANNEL_CONFIGS.filter((member) => desired[member] !== undefined).map((member) => [
            member,
            desired[member],
          ]),
        ),
        ...tagsMember(desired),
      }),
      sendOptions(ctx),
    );
    if (!created.UserId || !created.UserArn) throw new Error('CreateUser returned no id');
    if (managed) ctx.passwordReset({ userId: created.UserId, username });
    return { id: created.UserId, arn: created.UserArn };
  },
  async update(ctx, _phase, target, { current, desired, changed }) {
    const base = { InstanceId: ctx.instanceId, UserId: target.id };
    if (changed.has('IdentityInfo')) {
      await ctx.connect.send(
        new UpdateUserIdentityInfoCommand({
          ...base,
          IdentityInfo: identityFor(ctx, desired) ?? {},
        }),
        sendOptions(ctx),
      );
    }
    // No UpdateUserConfig (not an IAM action): PhoneConfig carries the per-channel changes that
    // cannotUpdate let through (VOICE members, one ACW limit for every channel).
    if (changed.has('PhoneConfig') || CHANNEL_CONFIGS.some((member) => changed.has(member))) {
      await ctx.connect.send(
        new UpdateUserPhoneConfigCommand({ ...base, PhoneConfig: phoneConfigForUpdate(desired) }),
        sendOptions(ctx),
      );
    }
    if (changed.has('RoutingProfileId')) {
      await ctx.connect.send(
        new UpdateUserRoutingProfileCommand({ ...base, RoutingProfileId: text(desired, 'RoutingProfileId') }),
        sendOptions(ctx),
      );
    }
    if (changed.has('SecurityProfileIds')) {
      await ctx.connect.send(
        new UpdateUserSecurityProfilesCommand({
          ...base,
          SecurityProfileIds: (desired.SecurityProfileIds as string[] | undefined) ?? [],
        }),
        sendOptions(ctx),
      );
    }
    if (changed.has('HierarchyGroupId')) {
      await ctx.connect.send(
        new UpdateUserHierarchyCommand({ ...base, HierarchyGroupId: text(desired, 'HierarchyGroupId') }),
        sendOptions(ctx),
      );
    }
    if (changed.has('Tags')) await updateTags(ctx, target, current?.Tags, desired.Tags);
    if (changed.has('Proficiencies'))
      await writeProficiencies(ctx, target.id, current?.Proficiencies, desired.Proficiencies);
  },
};

export const users: ResourceKind<'users'> = {
  name: 'users',
  label: 'user',
  readOperations: ['ListUsers', 'DescribeUser', 'ListUserProficiencies', 'SearchUsers'],
  read(ctx) {
    const summaries = notStored(ctx, listUsers(ctx), (s) => s.Id);
    return mapUnordered(summaries, CONCURRENCY, (summary) => describeUser(ctx, summary.Id ?? ''));
  },
  changes: {
    signal:
      "ListUsers LastModifiedTime, the tags SearchUsers returns (500 users per call), and a fingerprint of the user's ListUserProficiencies (one call per user: the docs give the list a LastModifiedTime of its own and do not say that the user's moves with it)",
    notCovered: [],
    signalOf: (document) =>
      userSignal(document.resource.LastModifiedTime, document.resource.Tags, proficienciesOf(document)),
    readChanged(ctx, previous) {
      const tags = tagsById(
        itemsOf(
          paginateSearchUsers(
            { client: ctx.connect, pageSize: SEARCH_USERS_PAGE },
            { InstanceId: ctx.instanceId, MaxResults: SEARCH_USERS_PAGE },
            opts(ctx),
          ),
          (page) => page.Users,
        ),
      );
      // One ListUserProficiencies per user; what it read goes into the document if one is made.
      return mapUnordered(
        notStored(ctx, listUsers(ctx), (s) => s.Id),
        CONCURRENCY,
        async (summary) => {
          const id = summary.Id ?? '';
          const [proficiencies, byId] = await Promise.all([listProficiencies(ctx, id), tags.value()]);
          const before = previous.get(id);
          if (
            before !== undefined &&
            before === userSignal(summary.LastModifiedTime, byId.get(id), proficiencies)
          )
            return { unchanged: id };
          return { document: await describeUser(ctx, id, proficiencies) };
        },
      );
    },
  },
  restore: usersRestore,
};
