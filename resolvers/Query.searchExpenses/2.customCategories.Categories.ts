// The page's custom categories in one read (resolvers/lib/page-custom-categories.ts).
export { request, response } from '../lib/page-custom-categories';
