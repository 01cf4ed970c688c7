/** An AWS SDK service error as tests see it. */
export interface ServiceError extends Error {
  $metadata: { httpStatusCode?: number };
  [member: string]: unknown;
}

/**
 * Awaits a call that must fail and returns its error.
 * @throws Error when the call succeeds, so a test can never pass on a call that did not fail.
 */
export async function rejectionOf(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
