import { useState } from 'preact/hooks';
import { describeError } from './errors.ts';

export interface Action {
  /** True while `run`'s action is under way: the form's submit button is disabled. */
  busy: boolean;
  /** What the last run failed with, in the words the form shows; null once a run starts again. */
  error: string | null;
  /** For a message the form finds itself (a check before sending, a step the app does not support). */
  setError(message: string | null): void;
  /** Runs `action`: busy until it settles, the error cleared first and set if it throws. */
  run(action: () => Promise<unknown>): Promise<void>;
}

/**
 * What a form or dialog does when it sends something: busy while the request runs, and the
 * error said as describeError says it of `subject` ("this expense"), or as `describe` words it
 * when a form has its own message for an errorType.
 */
export function useAction(describe: string | ((caught: unknown) => string) = 'this'): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(typeof describe === 'string' ? describeError(caught, describe) : describe(caught));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}
