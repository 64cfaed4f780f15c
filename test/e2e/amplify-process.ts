import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs the real Amplify v6 client (amplify-client.ts) in a child process that trusts the
 * stack's self-signed certificate, and calls its commands over IPC.
 */
export interface AmplifyProcess {
  call<T = any>(command: string, ...args: unknown[]): Promise<T>;
  stop(): void;
}

export async function startAmplifyProcess(certificateFile: string): Promise<AmplifyProcess> {
  const child: ChildProcess = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'amplify-client.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certificateFile, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 0;
  const pending = new Map<number, { resolve(v: any): void; reject(e: Error): void }>();
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`Amplify client exited with ${code}`)));
    child.on(
      'message',
      (message: { ready?: true; id?: number; result?: unknown; error?: { name: string; message: string } }) => {
        if (message.ready) return resolve();
        const waiter = pending.get(message.id!);
        pending.delete(message.id!);
        if (message.error)
          waiter?.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
        else waiter?.resolve(message.result);
      },
    );
  });
  return {
    call: (command, ...args) =>
      new Promise((resolve, reject) => {
        const id = ++nextId;
        pending.set(id, { resolve, reject });
        child.send({ id, command, args });
      }),
    stop: () => child.kill(),
  };
}
