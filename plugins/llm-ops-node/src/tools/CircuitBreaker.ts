import { describeError } from '../health';
import { ToolError, isToolError, isTransientFailure } from './ToolError';

/** closed: calls pass; open: calls fail fast; half-open: one trial call. @public */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** @public */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before a trial call. */
  cooldownMs: number;
  /** A call that takes longer fails, and counts as a failure. */
  callTimeoutMs: number;
  now?: () => number;
}

/** A ToolError (503) for a tool that is down, slow or not answering. */
function unavailable(
  tool: string,
  reason: string,
  message: string,
  retryAfterSeconds = 30,
  since?: number,
) {
  const data = {
    tool,
    reason,
    ...(since ? { since: new Date(since).toISOString() } : {}),
  };
  return new ToolError(data, `${tool} is unavailable: ${message}`, {
    retryAfterSeconds,
  });
}

/** One tool's circuit breaker. @public */
export class CircuitBreaker {
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  /** When the current run of consecutive failures began; 0 while healthy. */
  #failingSince = 0;
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
      throw unavailable(
        this.tool,
        'circuit-open',
        `circuit open after ${this.#failures} consecutive failures (last: ${
          this.lastError
        })`,
        Math.ceil(this.options.cooldownMs / 1000),
        this.#failingSince,
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
              unavailable(
                this.tool,
                'timeout',
                `timed out after ${this.options.callTimeoutMs} ms`,
              ),
            ),
          ),
        ),
      ]);
      this.#recover();
      return result;
    } catch (error) {
      if (isTransientFailure(error)) {
        this.recordFailure(error);
        // A tool's own 503 says enough; anything else becomes one.
        if (isToolError(error)) {
          throw new ToolError(
            {
              ...error.data,
              since: new Date(this.#failingSince).toISOString(),
            },
            error.message,
            {
              statusCode: error.statusCode,
              retryAfterSeconds: error.retryAfterSeconds,
              cause: error.cause as Error | undefined,
            },
          );
        }
        throw unavailable(
          this.tool,
          'error',
          describe(error),
          undefined,
          this.#failingSince,
        );
      }
      // The tool answered; a 4xx is not a sign that it is down.
      this.#recover();
      throw error;
    } finally {
      this.#trialInFlight = false;
    }
  }

  #recover() {
    this.#state = 'closed';
    this.#failures = 0;
    this.#failingSince = 0;
  }

  private recordFailure(error: unknown) {
    if (this.#failures === 0) this.#failingSince = this.now();
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
  return describeError(error);
}
