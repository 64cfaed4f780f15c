import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Lambda's queue of asynchronous (`Event`) invocations, on disk: an event is written before
 * the invocation is acknowledged and removed once it succeeded or gave up, so an event whose
 * run a kill -9 cut short (or that had not started) is run again at the next start, as Lambda
 * retries an invocation whose execution environment died. Each run is counted in the event's
 * file first: an event that takes the process down every time is given up, not retried forever.
 * Events given up are kept in `dead-letters/`, as Lambda sends them to the function's
 * dead-letter queue.
 */
export interface QueuedEvent {
  id: string;
  functionName: string;
  payload: unknown;
  /** Runs started so far. */
  attempts: number;
  queuedAt: string;
}

export interface EventQueue {
  add(functionName: string, payload: unknown): Promise<QueuedEvent>;
  /** Records that a run of the event starts. */
  started(event: QueuedEvent): Promise<void>;
  done(event: QueuedEvent): Promise<void>;
  /** Moves the event to the dead letters, with the reason. */
  giveUp(event: QueuedEvent, reason: string): Promise<void>;
  /** Events left by an earlier process, oldest first. */
  leftOver(): Promise<QueuedEvent[]>;
}

export function openEventQueue(directory: string): EventQueue {
  const pending = path.join(directory, 'pending');
  const deadLetters = path.join(directory, 'dead-letters');
  mkdirSync(pending, { recursive: true });
  mkdirSync(deadLetters, { recursive: true });
  const fileOf = (event: QueuedEvent) => path.join(pending, `${event.id}.json`);
  // Written aside and renamed: a crash leaves the old file or the new one, never half of one.
  const save = async (event: QueuedEvent) => {
    const temporary = `${fileOf(event)}.${randomUUID()}.tmp`;
    await writeFile(temporary, JSON.stringify(event));
    await rename(temporary, fileOf(event));
  };
  return {
    async add(functionName, payload) {
      // Ids sort by time, so the oldest runs first at a restart.
      const event: QueuedEvent = {
        id: `${Date.now().toString().padStart(15, '0')}-${randomUUID()}`,
        functionName,
        payload,
        attempts: 0,
        queuedAt: new Date().toISOString(),
      };
      await save(event);
      return event;
    },
    async started(event) {
      event.attempts += 1;
      await save(event);
    },
    async done(event) {
      await rm(fileOf(event), { force: true });
    },
    async giveUp(event, reason) {
      await writeFile(path.join(deadLetters, `${event.id}.json`), JSON.stringify({ ...event, reason }));
      await rm(fileOf(event), { force: true });
    },
    async leftOver() {
      const events: QueuedEvent[] = [];
      for (const name of (await readdir(pending)).sort()) {
        const file = path.join(pending, name);
        if (name.endsWith('.tmp')) {
          await rm(file, { force: true });
          continue;
        }
        try {
          events.push(JSON.parse(await readFile(file, 'utf8')) as QueuedEvent);
        } catch {
          // Not an event this queue wrote: nothing to run.
          await rm(file, { force: true });
        }
      }
      return events;
    },
  };
}
