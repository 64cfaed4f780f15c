/**
 * AppSync enhanced subscription filters, evaluated against a published payload. A filter is
 * `{ filterGroup: [{ filters: [{ fieldName, operator, value }] }] }` (what
 * `util.transform.toSubscriptionFilter` produces): groups are OR'ed, the filters inside a
 * group AND'ed; `fieldName` may be a dotted path into nested objects.
 * https://docs.aws.amazon.com/appsync/latest/devguide/aws-appsync-real-time-enhanced-filtering.html
 */
export interface SubscriptionFilter {
  filterGroup: Array<{ filters: Array<{ fieldName: string; operator: string; value?: unknown }> }>;
}

export function isSubscriptionFilter(value: unknown): value is SubscriptionFilter {
  return Array.isArray((value as SubscriptionFilter | null)?.filterGroup);
}

function valueAt(payload: unknown, fieldName: string): unknown {
  let current = payload;
  for (const key of fieldName.split('.')) {
    // Own fields only: a filter on `constructor` reads an absent field, not Object.prototype's.
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const equal = (a: unknown, b: unknown) =>
  a === b || (a !== null && typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b));
const ordered = (a: unknown, b: unknown) =>
  (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');

function test(operator: string, actual: unknown, expected: unknown): boolean {
  switch (operator) {
    case 'eq':
      return equal(actual, expected);
    case 'ne':
      return !equal(actual, expected);
    case 'gt':
      return ordered(actual, expected) && (actual as number) > (expected as number);
    case 'ge':
      return ordered(actual, expected) && (actual as number) >= (expected as number);
    case 'lt':
      return ordered(actual, expected) && (actual as number) < (expected as number);
    case 'le':
      return ordered(actual, expected) && (actual as number) <= (expected as number);
    case 'between':
      return Array.isArray(expected) && test('ge', actual, expected[0]) && test('le', actual, expected[1]);
    case 'in':
      return Array.isArray(expected) && expected.some((e) => equal(actual, e));
    case 'notIn':
      return Array.isArray(expected) && !expected.some((e) => equal(actual, e));
    case 'contains':
      return Array.isArray(actual)
        ? actual.some((a) => equal(a, expected))
        : typeof actual === 'string' && typeof expected === 'string' && actual.includes(expected);
    case 'notContains':
      return !test('contains', actual, expected);
    case 'beginsWith':
      return typeof actual === 'string' && typeof expected === 'string' && actual.startsWith(expected);
    case 'containsAny':
      return Array.isArray(actual) && Array.isArray(expected) && expected.some((e) => actual.some((a) => equal(a, e)));
    case 'attributeExists':
      return (actual !== undefined && actual !== null) === (expected !== false);
    default:
      // An operator AppSync would have rejected at subscribe time never lets an event through.
      return false;
  }
}

export function matchesFilter(filter: SubscriptionFilter, payload: unknown): boolean {
  return filter.filterGroup.some((group) =>
    group.filters.every((f) => test(f.operator, valueAt(payload, f.fieldName), f.value)),
  );
}
