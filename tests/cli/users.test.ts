/** `connect-vault users export|import` in-process, against the emulator (seed demo, demo-source). */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConnectClient,
  DeleteUserCommand,
  DescribeUserCommand,
  paginateListUsers,
  type User,
} from '@aws-sdk/client-connect';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkRow, parseUsersCsv } from '#shared/users/csv.js';
import { readDirectory } from '#shared/users/directory.js';
import { failedRowsCsv, importUsers, planImport } from '#shared/users/import-users.js';
import { type ConnectEmulator, type FaultRule, startConnectEmulator } from '../emulator/index.js';
import { runCli } from '../support/cli.js';

let home: string;
const emulators: ConnectEmulator[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'connect-vault-users-'));
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIAEMULATORSOURCE01',
    AWS_SECRET_ACCESS_KEY: 'emulator',
    AWS_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '2',
  });
});

afterAll(async () => {
  process.env = saved;
  for (const emulator of emulators) await emulator.close();
  await rm(home, { recursive: true, force: true });
});

async function demoSource(faults: FaultRule[] = []): Promise<{ emulator: ConnectEmulator; id: string }> {
  const emulator = await startConnectEmulator({ seed: 'demo', throttle: { enabled: false }, faults });
  emulators.push(emulator);
  const id = emulator.instances.find((i) => i.alias === 'demo-source')?.id ?? '';
  return { emulator, id };
}

const sdk = (emulator: ConnectEmulator) =>
  new ConnectClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: emulator.credentials(),
  });

async function listUsers(emulator: ConnectEmulator, id: string) {
  const out: Array<{ Id?: string; Username?: string }> = [];
  for await (const page of paginateListUsers({ client: sdk(emulator) }, { InstanceId: id }))
    out.push(...(page.UserSummaryList ?? []));
  return out;
}

async function describeUser(emulator: ConnectEmulator, id: string, login: string): Promise<User> {
  const summary = (await listUsers(emulator, id)).find((u) => u.Username === login);
  const { User } = await sdk(emulator).send(new DescribeUserCommand({ InstanceId: id, UserId: summary?.Id }));
  if (!User) throw new Error(`no user ${login}`);
  return User;
}

/** `connect-vault users <args>` against the emulator; the client's limiters need not hold back. */
const users = (emulator: ConnectEmulator, ...args: string[]) =>
  runCli('users', ...args, '--endpoint-url', emulator.endpoint, '--rate-factor', '10');

/** The passwords CreateUser is sent while `act` runs (read off the SDK client, passed through). */
async function capturingPasswords<T>(act: () => Promise<T>): Promise<{ result: T; passwords: string[] }> {
  const passwords: string[] = [];
  const original = ConnectClient.prototype.send;
  const spy = vi.spyOn(ConnectClient.prototype, 'send');
  spy.mockImplementation(function (this: ConnectClient, ...args: unknown[]) {
    const input = (args[0] as { input?: { Password?: string } }).input;
    if (input?.Password) passwords.push(input.Password);
    return (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
  } as typeof original);
  try {
    return { result: await act(), passwords };
  } finally {
    spy.mockRestore();
  }
}

type Row = Record<string, string>;
const rowsOf = (csv: string) => parse(csv, { columns: true, bom: true }) as Row[];
const HEADER =
  'first name,last name,email address,password,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),ACW timeout (seconds),UserHierarchy,tags';

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('connect-vault users export', () => {
  it('writes every user in the bulk-upload layout, by names, with the password column empty', async () => {
    const { emulator, id } = await demoSource();
    const out = join(home, 'export.csv');

    const result = await users(emulator, 'export', '--instance-id', id, '--out', out, '--quiet');
    const csv = await readFile(out, 'utf8');
    const rows = rowsOf(csv);
    const desk = rows.find((r) => r['phone type (soft/desk)'] === 'desk');
    const deskUser = await describeUser(emulator, id, desk?.['user login'] ?? '');

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(csv.split('\n')[0]).toBe(HEADER);
    expect(rows.length).toBe((await listUsers(emulator, id)).length);
    expect(rows.every((r) => r.password === '')).toBe(true);
    expect(rows.find((r) => r['user login'] === 'olivia.bennett')).toEqual({
      'first name': 'Olivia',
      'last name': 'Bennett',
      'email address': 'olivia.bennett@example.com',
      password: '',
      'user login': 'olivia.bennett',
      'routing profile name': 'Supervisors',
      'security_profile_name_1|security_profile_name_2': 'Agent|CallCenterManager',
      'phone type (soft/desk)': 'soft',
      'phone number': '',
      'soft phone auto accept (yes/no)': 'yes',
      'ACW timeout (seconds)': String(
        (await describeUser(emulator, id, 'olivia.bennett')).PhoneConfig?.AfterContactWorkTimeLimit,
      ),
      UserHierarchy: 'North America',
      tags: '{"Role":"Director"}',
    });
    expect(desk?.['phone number']).toBe(deskUser.PhoneConfig?.DeskPhoneNumber);
    expect(desk?.UserHierarchy?.split('/')).toHaveLength(3);
    expect(result.stderr).toContain(`Exported ${rows.length} user(s)`);
  });

  it('exits 2 for an instance that does not exist, and writes no file', async () => {
    const { emulator } = await demoSource();
    const out = join(home, 'none.csv');

    const result = await users(emulator, 'export', '--instance-id', 'no-such-instance', '--out', out, '-q');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No instance no-such-instance');
    expect(await exists(out)).toBe(false);
  });
});

describe('connect-vault users import', () => {
  it('round-trips every user into a fresh copy of the instance, and no password appears anywhere', async () => {
    const source = await demoSource();
    const target = await demoSource();
    const file = join(home, 'round-trip.csv');
    await users(source.emulator, 'export', '--instance-id', source.id, '--out', file, '-q');
    for (const user of await listUsers(target.emulator, target.id))
      await sdk(target.emulator).send(new DeleteUserCommand({ InstanceId: target.id, UserId: user.Id }));
    const expected = await readFile(file, 'utf8');
    const count = rowsOf(expected).length;

    const { result, passwords } = await capturingPasswords(() =>
      users(target.emulator, 'import', '--file', file, '--instance-id', target.id, '--batch-size', '7', '-q'),
    );
    const again = join(home, 'round-trip-again.csv');
    await users(target.emulator, 'export', '--instance-id', target.id, '--out', again, '-q');
    const written = await readFile(again, 'utf8');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${count} created, 0 skipped, 0 failed`);
    expect(result.stdout).toContain(`Needs password reset (${count},`);
    expect(written).toBe(expected);
    expect(passwords).toHaveLength(count);
    expect(new Set(passwords).size).toBe(count);
    for (const password of passwords) {
      expect(password).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$/);
      expect(result.stdout).not.toContain(password);
      expect(result.stderr).not.toContain(password);
      expect(written).not.toContain(password);
    }
    expect(await exists(join(home, 'round-trip.failed.csv'))).toBe(false);
  });

  it('skips logins that exist, and batches with a pause between them', async () => {
    const { emulator, id } = await demoSource();
    const file = join(home, 'existing.csv');
    await users(emulator, 'export', '--instance-id', id, '--out', file, '-q');
    const count = rowsOf(await readFile(file, 'utf8')).length;
    await writeFile(
      file,
      `${await readFile(file, 'utf8')}New,One,,,new.one,Basic Routing Profile,Agent,soft,,no,0,,\nNew,Two,,,new.two,Basic Routing Profile,Agent,desk,+12065550111,yes,30,,\n`,
    );

    const started = Date.now();
    const result = await users(
      emulator,
      'import',
      '--file',
      file,
      '--instance-id',
      id,
      '--batch-size',
      '1',
      '--pause',
      '0.3',
      '-q',
    );
    const two = await describeUser(emulator, id, 'new.two');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`2 created, ${count} skipped, 0 failed`);
    expect(result.stdout).toContain('line 2 ');
    expect(result.stdout).toContain('user login exists in the instance');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(two.PhoneConfig).toMatchObject({
      PhoneType: 'DESK_PHONE',
      DeskPhoneNumber: '+12065550111',
      AutoAccept: true,
      AfterContactWorkTimeLimit: 30,
    });
  });

  it('--dry-run writes nothing, lists a missing routing profile and invalid phone settings, exits 1', async () => {
    const { emulator, id } = await demoSource();
    const file = join(home, 'dry.csv');
    await writeFile(
      file,
      [
        HEADER,
        'Ann,Lee,ann@example.com,,ann.lee,No Such Profile,Agent,soft,,no,0,,',
        'Bob,Ray,,,bob.ray,Basic Routing Profile,Agent,desk,,no,0,,',
        'Cy,Poe,,,cy.poe,Basic Routing Profile,No Such Security,soft,,maybe,0,North America/Nowhere,',
        'Di,Fox,,,di.fox,Basic Routing Profile,Agent,soft,,no,0,North America/Seattle,{"Team":"A"}',
        'Hy,Zed,,,hy.zed,Basic Routing Profile,Agent|No Such Security,soft,,no,0,North America/Nowhere,',
        'Jo,Kay,,,jo.kay,Basic Routing Profile,Agent,soft,,no,0,Tier 1 Support,',
        'Olivia,Bennett,,,olivia.bennett,Supervisors,Agent,soft,,no,0,,',
        '',
      ].join('\n'),
    );
    const before = (await listUsers(emulator, id)).length;
    emulator.resetStats();

    const result = await users(emulator, 'import', '--file', file, '--instance-id', id, '--dry-run');

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '7 row(s): 2 would be created, 1 skipped (user login exists), 4 would fail',
    );
    expect(result.stdout).toContain('Missing routing profiles:\n  No Such Profile (line 2)\n');
    expect(result.stdout).toContain('Missing security profiles:\n  No Such Security (line 6)\n');
    expect(result.stdout).toContain('Missing hierarchy groups:\n  North America/Nowhere (line 6)\n');
    expect(result.stdout).toContain(
      'Invalid phone settings:\n  line 3 bob.ray: phone number is required for a desk phone\n',
    );
    expect(result.stdout).toContain('soft phone auto accept (yes/no) must be yes or no, not "maybe"');
    expect((await listUsers(emulator, id)).length).toBe(before);
    expect(emulator.stats().operations?.CreateUser?.calls ?? 0).toBe(0);
    expect(await exists(join(home, 'dry.failed.csv'))).toBe(false);
  });

  it('puts failing rows in the failed CSV, which imports once fixed', async () => {
    // The first CreateUser fails on both attempts (AWS_MAX_ATTEMPTS=2): a failure Connect answers.
    const { emulator, id } = await demoSource([
      { operation: 'CreateUser', kind: 'internal-error', fromCall: 1, untilCall: 2 },
    ]);
    const file = join(home, 'mixed.csv');
    await writeFile(
      file,
      [
        HEADER,
        'Eve,Moss,,S3cret-in-file,eve.moss,Basic Routing Profile,Agent,soft,,no,0,,{"Team":"X"}',
        'Fay,Orr,,,fay.orr,No Such Profile,Agent,soft,,no,0,,',
        'Gus,Ray,,,gus.ray,Basic Routing Profile,Agent,soft,,no,0,,',
        '',
      ].join('\n'),
    );

    const first = await users(emulator, 'import', '--file', file, '--instance-id', id, '-q');
    const failedFile = join(home, 'mixed.failed.csv');
    const failedText = await readFile(failedFile, 'utf8');
    const failed = rowsOf(failedText);
    await writeFile(failedFile, failedText.replace('No Such Profile', 'Basic Routing Profile'));
    const second = await users(emulator, 'import', '--file', failedFile, '--instance-id', id, '-q');
    const logins = (await listUsers(emulator, id)).map((u) => u.Username);

    expect(first.code).toBe(1);
    expect(first.stdout).toContain('1 created, 0 skipped, 2 failed');
    expect(first.stdout).toContain(
      'Needs password reset (1, created with a random password nobody knows): gus.ray',
    );
    expect(first.stdout).toContain('1 row(s) had a password: ignored');
    expect(first.stdout).toContain(`Failed rows written to ${failedFile}`);
    expect(failed.map((r) => [r['user login'], r.password])).toEqual([
      ['eve.moss', ''],
      ['fay.orr', ''],
    ]);
    expect(failed[0]?.error).toMatch(/^InternalServiceException/);
    expect(failed[0]?.tags).toBe('{"Team":"X"}');
    expect(failed[1]?.error).toBe('routing profile "No Such Profile" does not exist in the instance');
    expect(failedText).not.toContain('S3cret-in-file');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('2 created, 0 skipped, 0 failed');
    expect(logins).toEqual(expect.arrayContaining(['eve.moss', 'fay.orr', 'gus.ray']));
    expect((await describeUser(emulator, id, 'eve.moss')).Tags).toEqual({ Team: 'X' });
  });

  it('exits 2 for a file that is not the layout, and creates nothing', async () => {
    const { emulator, id } = await demoSource();
    const file = join(home, 'bad.csv');
    await writeFile(file, 'login,routing\nx,y\n');
    const before = (await listUsers(emulator, id)).length;

    const result = await users(emulator, 'import', '--file', file, '--instance-id', id);
    const missing = await users(emulator, 'import', '--file', join(home, 'nope.csv'), '--instance-id', id);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown column "login"');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read');
    expect((await listUsers(emulator, id)).length).toBe(before);
  });
});

describe('importUsers', () => {
  it('masks the password in an error Connect answers, and reports the row as failed', async () => {
    const { emulator, id } = await demoSource();
    const connect = sdk(emulator);
    const directory = await readDirectory(connect, id);
    const raws = parseUsersCsv(`${HEADER}\nWeak,Pass,,,weak.pass,Basic Routing Profile,Agent,soft,,no,0,,\n`);
    // A password Connect's pattern rejects (no upper case, no digit): the emulator's validation
    // message quotes the value it refused, as a service may.
    const weak = 'alllowercaseletters';

    const report = await importUsers(planImport(raws, directory), {
      connect,
      directory,
      batchSize: 10,
      pauseMs: 0,
      newPassword: () => weak,
    });

    expect(report.created).toEqual([]);
    expect(report.needsPasswordReset).toEqual([]);
    expect(report.failed.map((f) => f.login)).toEqual(['weak.pass']);
    expect(report.failed[0]?.reason).toMatch(/^InvalidParameterException: .*\*\*\*/);
    expect(JSON.stringify(report)).not.toContain(weak);
    expect(failedRowsCsv(report)).not.toContain(weak);
  });
});

describe('parseUsersCsv and checkRow', () => {
  it("reads the console template's own columns (no hierarchy or tags), upper-case phone types and a BOM", () => {
    const text =
      '\uFEFFFirst Name,Last Name,Email Address,Password,User Login,Routing Profile Name,Security_Profile_Name_1|Security_Profile_Name_2,Phone Type (soft/desk),Phone Number,Soft Phone Auto Accept (yes/no),ACW Timeout (seconds)\n' +
      'Mary,Major,mmajor@example.com,,mmajor,Basic Routing Profile,Agent|CallCenterManager,DESK_PHONE,+19725550120,no,0\n' +
      'Ray,Roe,,,rroe,Basic Routing Profile,Agent,SOFT_PHONE,,YES,30\n';

    const rows = parseUsersCsv(text).map(checkRow);

    expect(rows).toEqual([
      {
        row: {
          line: 2,
          login: 'mmajor',
          firstName: 'Mary',
          lastName: 'Major',
          email: 'mmajor@example.com',
          routingProfile: 'Basic Routing Profile',
          securityProfiles: ['Agent', 'CallCenterManager'],
          phoneType: 'DESK_PHONE',
          deskPhoneNumber: '+19725550120',
          autoAccept: false,
          acwSeconds: 0,
          tags: {},
        },
      },
      {
        row: {
          line: 3,
          login: 'rroe',
          firstName: 'Ray',
          lastName: 'Roe',
          routingProfile: 'Basic Routing Profile',
          securityProfiles: ['Agent'],
          phoneType: 'SOFT_PHONE',
          autoAccept: true,
          acwSeconds: 30,
          tags: {},
        },
      },
    ]);
  });

  it('names the column of each problem', () => {
    const [raw] = parseUsersCsv(`${HEADER}\nA,B,not-an-email,,a.b,RP,,phone,12065550100,yes,-5,,"[1]"\n`);

    const checked = raw ? checkRow(raw) : undefined;

    expect(checked && 'problems' in checked ? checked.problems.map((p) => p.message) : []).toEqual([
      'email address is not an e-mail address',
      'security_profile_name_1|security_profile_name_2 needs at least one security profile',
      'phone type (soft/desk) must be soft or desk, not "phone"',
      'phone number must be an E.164 number such as +12065550100',
      'ACW timeout (seconds) must be a whole number of seconds from 0 to 2000000, not "-5"',
      'tags must be a JSON object of strings, values up to 256 characters',
    ]);
  });
});
