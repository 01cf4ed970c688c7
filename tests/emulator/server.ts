/**
 * The Connect emulator's HTTP server: Connect's REST-JSON protocol on a loopback port, for the
 * unmodified `@aws-sdk/client-connect`.
 *
 * Per request: admin routes under `/__emulator/`; otherwise SigV4 scope (Region from the credential
 * scope, account from the access key), route by method and URI template, fault injection,
 * per-operation throttling, model validation, the handler, and the response encoding.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch, implementedOperations } from './dispatcher.js';
import { ConnectError } from './errors.js';
import type { FaultInjector, FaultRule } from './faults.js';
import { decodeInput, encodeOutput, matchRoute } from './model.js';
import { PROMPT_FILES_PATH } from './prompt-files.js';
import type { World } from './state.js';
import type { Stats } from './stats.js';
import type { Throttler } from './throttle.js';

export interface ServerDeps {
  world: World;
  stats: Stats;
  throttler: Throttler;
  faults: FaultInjector;
  /** Operations answered with AccessDeniedException, as for an action the caller's policy lacks. */
  denied?: ReadonlySet<string>;
  /** Access key id → account id. */
  accounts: Record<string, string>;
  defaultAccountId: string;
  /** Extra admin routes, e.g. instance listing, served as JSON. */
  describe(): unknown;
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, error: ConnectError): void {
  sendJson(res, error.status, { Message: error.message, ...error.extra }, { 'x-amzn-errortype': error.code });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Region and access key from `Authorization: AWS4-HMAC-SHA256 Credential=AKID/date/region/connect/aws4_request, …`. */
export function parseCredentialScope(
  header: string | undefined,
): { accessKeyId: string; region: string } | undefined {
  const match = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/connect\/aws4_request/.exec(header ?? '');
  return match ? { accessKeyId: match[1]!, region: match[2]! } : undefined;
}

async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: ServerDeps,
): Promise<void> {
  const route = `${req.method} ${path}`;
  switch (route) {
    case 'GET /__emulator/stats':
      return sendJson(res, 200, deps.stats.snapshot());
    case 'POST /__emulator/stats/reset':
    case 'DELETE /__emulator/stats':
      deps.stats.reset();
      return sendJson(res, 200, deps.stats.snapshot());
    case 'GET /__emulator/faults':
      return sendJson(res, 200, { rules: deps.faults.list() });
    case 'PUT /__emulator/faults': {
      try {
        const body = JSON.parse((await readBody(req)) || '{}') as { rules?: FaultRule[] };
        deps.faults.set(body.rules ?? []);
        return sendJson(res, 200, { rules: deps.faults.list() });
      } catch (error) {
        return sendJson(res, 400, { message: (error as Error).message });
      }
    }
    case 'GET /__emulator/operations':
      return sendJson(res, 200, { implemented: implementedOperations() });
    case 'GET /__emulator/instances':
      return sendJson(res, 200, deps.describe());
    default:
      return sendJson(res, 404, { message: `No emulator admin route ${route}` });
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  if (url.pathname.startsWith('/__emulator/')) return handleAdmin(req, res, url.pathname, deps);
  // Presigned URLs of prompt audio (GetPromptFile): plain GETs without SigV4 headers, as from S3.
  if (url.pathname.startsWith(PROMPT_FILES_PATH)) return deps.world.promptFiles.serve(req, res, url);

  const scope = parseCredentialScope(req.headers.authorization);
  if (!scope) {
    return sendError(
      res,
      new ConnectError(
        'MissingAuthenticationTokenException',
        'Missing SigV4 Authorization header with a connect credential scope',
      ),
    );
  }
  const accountId = deps.accounts[scope.accessKeyId] ?? deps.defaultAccountId;

  const route = matchRoute(req.method ?? 'GET', url.pathname);
  if (!route) {
    return sendError(
      res,
      new ConnectError('UnknownOperationException', `No Connect operation for ${req.method} ${url.pathname}`),
    );
  }
  const { operation } = route;
  deps.stats.call(operation);

  // IAM decides before the service does anything else (no throttling token, no validation).
  if (deps.denied?.has(operation)) {
    deps.stats.error(operation);
    return sendError(
      res,
      new ConnectError(
        'AccessDeniedException',
        `User: arn:aws:iam::${accountId}:user/emulator is not authorized to perform: connect:${operation} (denied by the emulator's deny option)`,
      ),
    );
  }

  const fault = deps.faults.decide(operation);
  if (fault) {
    deps.stats.fault(operation);
    if (fault.kind === 'latency') {
      await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    } else if (fault.kind === 'drop-connection') {
      req.socket.destroy();
      return;
    } else if (fault.kind === 'lose-write') {
      // Acknowledged, never applied: the body is read and thrown away, the answer is empty.
      await readBody(req);
      return sendJson(res, 200, encodeOutput(operation, {}));
    } else if (fault.kind === 'throttle') {
      deps.stats.throttle(operation);
      return sendError(res, new ConnectError('ThrottlingException', 'Rate exceeded (injected fault)'));
    } else {
      deps.stats.error(operation);
      return sendError(
        res,
        new ConnectError('InternalServiceException', 'Internal service error (injected fault)'),
      );
    }
  }

  if (!deps.throttler.take(accountId, scope.region, operation)) {
    deps.stats.throttle(operation);
    return sendError(res, new ConnectError('ThrottlingException', 'Rate exceeded'));
  }

  try {
    const text = await readBody(req);
    let body: Record<string, unknown> = {};
    if (text.trim()) {
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new ConnectError('SerializationException', 'The request body is not valid JSON');
      }
    }
    const input = decodeInput(operation, route.labels, url.searchParams, req.headers, body);
    const output = await dispatch(deps.world, accountId, scope.region, operation, input);
    // The operation ran; a drop-after fault loses its answer (the connection drops instead).
    if (deps.faults.decideAfterApplied(operation)) {
      deps.stats.fault(operation);
      req.socket.destroy();
      return;
    }
    sendJson(res, 200, encodeOutput(operation, output));
  } catch (error) {
    deps.stats.error(operation);
    if (error instanceof ConnectError) return sendError(res, error);
    console.error(`emulator: ${operation} failed`, error);
    return sendError(
      res,
      new ConnectError(
        'InternalServiceException',
        `Emulator failure in ${operation}: ${(error as Error).message}`,
      ),
    );
  }
}

/** Starts the HTTP server on 127.0.0.1. Resolves once it listens. */
export async function listen(
  deps: ServerDeps,
  port = 0,
  host = '127.0.0.1',
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handle(req, res, deps).catch((error: unknown) => {
      console.error('emulator: request failed', error);
      if (!res.headersSent) sendError(res, new ConnectError('InternalServiceException', 'Emulator failure'));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}
