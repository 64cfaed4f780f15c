// The index entries of the parts' categories (model/splits.ts) and the search entries follow the split, before the mutation answers.
export { request, response } from '../lib/search-index';
