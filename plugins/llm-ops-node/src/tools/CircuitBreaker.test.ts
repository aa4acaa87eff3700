import { CircuitBreaker } from './CircuitBreaker';
import { ToolError, isToolError } from './ToolError';

describe('CircuitBreaker', () => {
  it('says since when the tool has been failing, and forgets it once the tool answers', async () => {
    let now = Date.parse('2026-12-01T10:00:00.000Z');
    const breaker = new CircuitBreaker('mlflow', {
      failureThreshold: 2,
      cooldownMs: 60_000,
      callTimeoutMs: 1_000,
      now: () => now,
    });
    const refused = () =>
      breaker.call(async () => {
        throw new TypeError('fetch failed');
      });
    const caught = async (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: unknown) => (isToolError(e) ? e : undefined),
      );

    const first = await caught(refused());
    expect(first?.data).toEqual({
      tool: 'mlflow',
      reason: 'error',
      since: '2026-12-01T10:00:00.000Z',
    });
    now += 5_000;
    // the second failure opens the circuit; both keep the first failure's time
    expect((await caught(refused()))?.data.since).toBe(
      '2026-12-01T10:00:00.000Z',
    );
    now += 5_000;
    const fastFail = await caught(breaker.call(async () => 'unreached'));
    expect(fastFail?.data).toEqual({
      tool: 'mlflow',
      reason: 'circuit-open',
      since: '2026-12-01T10:00:00.000Z',
    });

    // after the cooldown a trial call succeeds; the next outage starts afresh
    now += 60_000;
    await expect(breaker.call(async () => 'ok')).resolves.toBe('ok');
    const later = await caught(
      breaker.call(async () => {
        throw new ToolError(
          { tool: 'mlflow', reason: 'http-503' },
          'mlflow: 503',
        );
      }),
    );
    expect(later?.data).toEqual({
      tool: 'mlflow',
      reason: 'http-503',
      since: new Date(now).toISOString(),
    });
    expect(later?.statusCode).toBe(503);
  });
});
