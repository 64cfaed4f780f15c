import http from 'node:http';

/**
 * A keep-alive HTTP client for the benchmarks' GraphQL calls: one agent, so the API is reached as
 * the SDK reaches DynamoDB (node:http with keep-alive), a fair floor for the ratios printed.
 */
export function keepAliveClient(options: http.AgentOptions = {}) {
  const agent = new http.Agent({ keepAlive: true, ...options });
  function post(url: string, body: string, authorization: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
  return { agent, post };
}

/** The p-th percentile (nearest rank) of `values`; NaN when there are none. */
export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
