// AccountFn sets each stored receipt's image expiry anew and deletes the images already past it.
export { request, response } from '../lib/job-start-step';
