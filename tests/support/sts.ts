/**
 * A local stand-in for AWS STS `AssumeRole` (the query protocol the SDK speaks), on a loopback port,
 * for the cross-account restore tests. It models the part of a role's trust policy that restore
 * relies on: who may assume the role (the caller's account, from the access key in the SigV4
 * credential scope) and the external id (`sts:ExternalId`). It does not check signatures, as the
 * Connect emulator does not.
 *
 * Each AssumeRole that passes issues a fresh temporary access key (`ASIA…`) and registers it in the
 * Connect emulator's key → account table as the role's account, so that the Connect calls made with
 * those credentials act in that account. Anything else is answered as STS answers it: 403
 * AccessDenied for a trust policy that does not allow the caller, 400 for a malformed request.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A role the stand-in knows, with its trust policy. */
export interface StandInRole {
  roleArn: string;
  /** The account whose principals the trust policy names (the connect-vault account). */
  trustedAccountId: string;
  /** The external id the trust policy's `sts:ExternalId` condition asks for; none: no condition. */
  externalId?: string;
}

/** One AssumeRole the stand-in answered. */
export interface AssumeRoleCall {
  roleArn: string;
  roleSessionName: string;
  externalId?: string;
  callerAccessKeyId: string;
  /** The temporary access key issued, or the error code answered. */
  outcome: { accessKeyId: string } | { error: string };
}

export interface StsStandIn {
  endpoint: string;
  calls: AssumeRoleCall[];
  close(): Promise<void>;
}

/**
 * Starts the stand-in.
 * @param accounts the Connect emulator's access key → account table; issued keys are added to it.
 */
export async function startStsStandIn(options: {
  roles: StandInRole[];
  accounts: Record<string, string>;
  /** How long issued credentials last, in seconds (STS's default: 3,600). */
  durationSeconds?: number;
}): Promise<StsStandIn> {
  const calls: AssumeRoleCall[] = [];
  let issued = 0;
  const server: Server = createServer((request, response) => {
    void body(request).then((text) => answer(text, request, response));
  });
  const answer = (text: string, request: IncomingMessage, response: ServerResponse) => {
    const form = new URLSearchParams(text);
    const callerAccessKeyId =
      /Credential=([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
    if (form.get('Action') !== 'AssumeRole') {
      return fail(response, 400, 'InvalidAction', `Could not find operation ${form.get('Action')}`);
    }
    const roleArn = form.get('RoleArn') ?? '';
    const roleSessionName = form.get('RoleSessionName') ?? '';
    const externalId = form.get('ExternalId') ?? undefined;
    const call = { roleArn, roleSessionName, callerAccessKeyId, ...(externalId ? { externalId } : {}) };
    const deny = (message: string) => {
      calls.push({ ...call, outcome: { error: 'AccessDenied' } });
      fail(response, 403, 'AccessDenied', message);
    };
    if (!/^[\w+=,.@-]{2,64}$/.test(roleSessionName)) {
      calls.push({ ...call, outcome: { error: 'ValidationError' } });
      return fail(response, 400, 'ValidationError', 'RoleSessionName is missing or malformed');
    }
    const role = options.roles.find((r) => r.roleArn === roleArn);
    const callerAccount = options.accounts[callerAccessKeyId];
    const notAuthorized = `User: arn:aws:sts::${callerAccount ?? 'unknown'}:assumed-role/caller is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
    if (!role || callerAccount !== role.trustedAccountId) return deny(notAuthorized);
    if (role.externalId !== undefined && externalId !== role.externalId) return deny(notAuthorized);
    const roleAccount = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/.exec(roleArn);
    if (!roleAccount) return deny(notAuthorized);
    issued += 1;
    const accessKeyId = `ASIASTSSTANDIN${String(issued).padStart(6, '0')}`;
    options.accounts[accessKeyId] = roleAccount[1] as string;
    calls.push({ ...call, outcome: { accessKeyId } });
    const expiration = new Date(Date.now() + (options.durationSeconds ?? 3600) * 1000).toISOString();
    const roleName = (roleAccount[2] as string).split('/').at(-1);
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(
      `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
        `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>stand-in-secret</SecretAccessKey>` +
        `<SessionToken>stand-in-session-${issued}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
        `<AssumedRoleUser><AssumedRoleId>AROASTSSTANDIN:${roleSessionName}</AssumedRoleId>` +
        `<Arn>arn:aws:sts::${roleAccount[1]}:assumed-role/${roleName}/${roleSessionName}</Arn></AssumedRoleUser>` +
        `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function fail(response: ServerResponse, status: number, code: string, message: string): void {
  response.writeHead(status, { 'content-type': 'text/xml' });
  response.end(
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
      `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}
