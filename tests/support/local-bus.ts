/**
 * A local EventBridge endpoint for PutEvents (awsJson1_1, `X-Amz-Target: AWSEvents.PutEvents`) that
 * keeps every entry, so the demo and the tests can hand the scheduler's events to the backup
 * handler as the EventBridge rule would. Other targets answer 400 UnknownOperationException.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PutEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
}

/** An EventBridge event as a rule target receives it. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
}

export interface LocalBus {
  endpoint: string;
  /** Every entry put so far. */
  entries: PutEntry[];
  /** Entries as the envelopes a rule would deliver. */
  envelopes(account: string, region: string): EventEnvelope[];
  close(): Promise<void>;
}

/** Starts the local bus on a free loopback port. */
export async function startLocalBus(): Promise<LocalBus> {
  const entries: PutEntry[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'AWSEvents.PutEvents') {
        res.statusCode = 400;
        res.end(
          JSON.stringify({ __type: 'UnknownOperationException', message: `local bus: ${String(target)}` }),
        );
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: PutEntry[] };
      const put = body.Entries ?? [];
      entries.push(...put);
      res.end(JSON.stringify({ FailedEntryCount: 0, Entries: put.map(() => ({ EventId: randomUUID() })) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    entries,
    envelopes: (account, region) =>
      entries.map((entry) => ({
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType ?? '',
        source: entry.Source ?? '',
        account,
        time: new Date().toISOString(),
        region,
        resources: [],
        detail: JSON.parse(entry.Detail ?? '{}'),
      })),
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
