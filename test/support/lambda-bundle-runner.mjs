// A deployed Lambda bundle in a process of its own, as a Lambda execution environment runs it:
// plain Node (no loader, no node_modules above the bundle), the handler imported once, then
// one invocation at a time, in the order they come from test/support/lambda-bundle-process.ts.
// argv[2]: the bundle's index.mjs.
import { pathToFileURL } from 'node:url';

const { handler } = await import(pathToFileURL(process.argv[2]).href);

let previous = Promise.resolve();
process.on('message', ({ id, event, context }) => {
  previous = previous.then(async () => {
    const deadline = Date.now() + context.remainingMs;
    try {
      const result = await handler(event, {
        ...context,
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      });
      // maxRSS: the process's peak resident memory so far (KiB), what Lambda reports as Max Memory Used.
      process.send({ id, result, maxRssKib: process.resourceUsage().maxRSS });
    } catch (error) {
      process.send({
        id,
        error: { name: error?.name ?? 'Error', message: error?.message ?? String(error), stack: error?.stack },
        maxRssKib: process.resourceUsage().maxRSS,
      });
    }
  });
});
process.send({ ready: true, maxRssKib: process.resourceUsage().maxRSS });
