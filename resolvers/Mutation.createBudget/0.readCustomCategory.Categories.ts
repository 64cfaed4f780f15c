// With customCategoryId, the caller's live custom category (NotFound otherwise): its parent is the budget's category.
export { request, response } from '../lib/custom-category-step';
