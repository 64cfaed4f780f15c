// With customCategoryId, the caller's custom category (its parent becomes the expense's category).
export { request, response } from '../lib/custom-category-step';
