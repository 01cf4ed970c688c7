/** The `deny` option: operations answered with AccessDeniedException, as for an action IAM lacks. */
import { DescribeUserHierarchyStructureCommand, SearchQueuesCommand } from '@aws-sdk/client-connect';
import { describe, expect, it } from 'vitest';
import { expectError, startWithInstance } from './testing.js';

describe('deny', () => {
  it('answers a denied operation with AccessDeniedException (403) and leaves the others alone', async () => {
    const h = await startWithInstance({ emulator: { deny: ['SearchQueues'] } });

    const error = await expectError(
      h.connect.send(new SearchQueuesCommand({ InstanceId: h.InstanceId })),
      'AccessDeniedException',
      403,
    );
    const allowed = await h.connect.send(
      new DescribeUserHierarchyStructureCommand({ InstanceId: h.InstanceId }),
    );

    expect(error.message).toContain('connect:SearchQueues');
    expect(allowed.HierarchyStructure).toBeDefined();
  });

  it('denies before validating the request, as IAM decides first', async () => {
    const h = await startWithInstance({ emulator: { deny: ['SearchQueues'] } });

    await expectError(
      h.connect.send(new SearchQueuesCommand({ InstanceId: 'no-such-instance' })),
      'AccessDeniedException',
      403,
    );
  });

  it('follows changes to `denied` while it runs', async () => {
    const h = await startWithInstance();
    const search = () => h.connect.send(new SearchQueuesCommand({ InstanceId: h.InstanceId }));

    await search();
    h.emulator.denied.add('SearchQueues');
    await expectError(search(), 'AccessDeniedException', 403);
    h.emulator.denied.delete('SearchQueues');
    await search();
  });
});
