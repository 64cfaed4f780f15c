// With customCategoryId, the caller's custom category (its parent is the expense's category).
export { request, response } from '../lib/custom-category-step';
