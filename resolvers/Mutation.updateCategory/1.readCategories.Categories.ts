// The caller's categories, read consistently (resolvers/lib/categories.ts).
export { readRequest as request, readResponse as response } from '../lib/categories';
