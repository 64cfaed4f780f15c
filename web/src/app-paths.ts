/**
 * The app's pages, one URL each. The servers answer these with index.html (the app routes in
 * the browser), the service worker too when offline; any other path is not the app's.
 */
export const APP_PATHS = [
  '/',
  '/sign-in',
  '/sign-up',
  '/confirm',
  '/forgot-password',
  '/review',
  '/expenses',
  '/budgets',
  '/reports',
  '/import',
  '/subscriptions',
  '/shared',
  '/settings',
] as const;

export type AppPath = (typeof APP_PATHS)[number];
