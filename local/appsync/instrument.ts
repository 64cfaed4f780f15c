import { parse } from 'acorn';

/**
 * Deadline checks for resolver code: a call to `tick` at the start of every function body and
 * every loop body, so a runaway handler (an endless for-of, deep recursion that keeps going)
 * stops at the request's deadline. `node:vm`'s own `timeout` would do it too, but it starts a
 * watchdog thread per call (70–300 µs on a loaded machine, several calls per request); a tick
 * is a decrement. Insertions never add a line, so stack lines still match the bundle.
 */
type Node = { type: string; start: number; end: number; [key: string]: unknown };

const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);
const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

export function withDeadlineChecks(code: string, tick: string): string {
  const ast = parse(code, {
    ecmaVersion: 'latest',
    sourceType: 'script',
    allowReturnOutsideFunction: true,
  }) as unknown as Node;
  const inserts: Array<{ at: number; text: string; closes: boolean; order: number }> = [];
  const add = (at: number, text: string, closes = false) => inserts.push({ at, text, closes, order: inserts.length });
  const visit = (node: Node) => {
    if (FUNCTIONS.has(node.type)) {
      const body = node.body as Node;
      if (body.type === 'BlockStatement') add(body.start + 1, `${tick}();`);
      else {
        add(body.start, `(${tick}(), `);
        add(body.end, ')', true);
      }
    } else if (LOOPS.has(node.type)) {
      const body = node.body as Node;
      add(body.start, `{${tick}();`);
      add(body.end, '}', true);
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) for (const child of value) if (child && typeof child.type === 'string') visit(child);
      if (value && typeof value === 'object' && typeof (value as Node).type === 'string') visit(value as Node);
    }
  };
  visit(ast);
  // Applied from the end so earlier offsets stay valid. At one offset the text inserted last
  // comes first: closers before openers, an inner node's closer before its parent's.
  inserts.sort(
    (a, b) => b.at - a.at || Number(a.closes) - Number(b.closes) || (a.closes ? a.order - b.order : b.order - a.order),
  );
  let out = code;
  for (const { at, text } of inserts) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
