import type { Category } from '../../../generated/graphql.ts';

/** The schema's categories (enum Category) with the words the app shows for them. */
export const CATEGORY_LABELS = {
  GROCERIES: 'Groceries',
  DINING: 'Dining',
  TRANSPORT: 'Transport',
  FUEL: 'Fuel',
  TRAVEL: 'Travel',
  LODGING: 'Lodging',
  SHOPPING: 'Shopping',
  ELECTRONICS: 'Electronics',
  HOUSEHOLD: 'Household',
  UTILITIES: 'Utilities',
  HEALTH: 'Health',
  ENTERTAINMENT: 'Entertainment',
  EDUCATION: 'Education',
  OFFICE: 'Office',
  SERVICES: 'Services',
  OTHER: 'Other',
} satisfies Record<Category, string>;

export const CATEGORIES = Object.keys(CATEGORY_LABELS) as Category[];

export const categoryLabel = (category: Category | null | undefined) =>
  category ? (CATEGORY_LABELS[category] ?? category) : 'All spending';
