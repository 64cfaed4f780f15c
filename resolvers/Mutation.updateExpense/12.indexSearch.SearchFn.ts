// The search index follows the change (old words out, new ones in), before the mutation answers.
export { request, response } from '../lib/search-index';
