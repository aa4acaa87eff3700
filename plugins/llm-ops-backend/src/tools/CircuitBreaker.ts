import { ServiceUnavailableError } from '@backstage/errors';
import { describeError } from '@llmops/plugin-llm-ops-node';

/** closed: calls pass; open: calls fail fast; half-open: one trial call. */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before a trial call. */
  cooldownMs: number;
  /** A call that takes longer fails, and counts as a failure. */
  callTimeoutMs: number;
  now?: () => number;
}

/** A tool call failed because the tool is down, slow or refusing. */
export class ToolUnavailableError extends ServiceUnavailableError {
  readonly data: { tool: string; reason: string };
  readonly retryAfterSeconds: number;

  constructor(tool: string, reason: string, retryAfterSeconds = 30) {
    super(`${tool} is unavailable: ${reason}`);
    this.data = { tool, reason };
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Is this failure the tool's fault (down, slow, 5xx) rather than ours (4xx)? */
export function isTransientFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  const status = (error as { response?: { status?: number } }).response?.status;
  if (typeof status === 'number') return status >= 500 || status === 429;
  return !['InputError', 'NotFoundError', 'ConflictError', 'NotAllowedError'].includes(
    error.name,
  );
}

/** One tool's circuit breaker. */
export class CircuitBreaker {
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #trialInFlight = false;
  lastError?: string;

  constructor(
    readonly tool: string,
    private readonly options: CircuitBreakerOptions,
  ) {}

  get state(): CircuitState {
    if (
      this.#state === 'open' &&
      this.now() - this.#openedAt >= this.options.cooldownMs
    ) {
      this.#state = 'half-open';
    }
    return this.#state;
  }

  /** Runs `fn` with a timeout, failing fast while the circuit is open. */
  async call<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.#trialInFlight)) {
      throw new ToolUnavailableError(
        this.tool,
        `circuit open after ${this.#failures} consecutive failures (last: ${this.lastError})`,
        Math.ceil(this.options.cooldownMs / 1000),
      );
    }
    this.#trialInFlight = state === 'half-open';
    const signal = AbortSignal.timeout(this.options.callTimeoutMs);
    try {
      const result = await Promise.race([
        fn(signal),
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () =>
            reject(
              new ToolUnavailableError(
                this.tool,
                `timed out after ${this.options.callTimeoutMs} ms`,
              ),
            ),
          ),
        ),
      ]);
      this.#state = 'closed';
      this.#failures = 0;
      return result;
    } catch (error) {
      if (isTransientFailure(error)) {
        this.recordFailure(error);
        if (error instanceof ToolUnavailableError) throw error;
        throw new ToolUnavailableError(this.tool, describe(error));
      }
      // The tool answered; a 4xx is not a sign that it is down.
      this.#state = 'closed';
      this.#failures = 0;
      throw error;
    } finally {
      this.#trialInFlight = false;
    }
  }

  private recordFailure(error: unknown) {
    this.#failures += 1;
    this.lastError = describe(error);
    if (
      this.#state === 'half-open' ||
      this.#failures >= this.options.failureThreshold
    ) {
      this.#state = 'open';
      this.#openedAt = this.now();
    }
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }
}

function describe(error: unknown): string {
  return error instanceof ToolUnavailableError
    ? error.data.reason
    : describeError(error);
}
