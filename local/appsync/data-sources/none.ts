import type { DataSource } from './data-source.ts';

/** NONE: the request's `payload` comes back as the result (local resolvers, publish fan-out). */
export const noneDataSource: DataSource = async (request) => ({ result: request?.payload ?? null });
