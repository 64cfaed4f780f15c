// The deleted expense leaves the search index.
export { request, response } from '../lib/search-index';
