// The search index follows the new expense (SearchTerms), before the mutation answers.
export { request, response } from '../lib/search-index';
