/**
 * What the shim throws inside the vm realm to end a handler, recognised by the invoker
 * (local/appsync/vm/runtime.ts) and reported to the host as plain JSON.
 */
export class UtilErrorSignal {
  constructor(
    readonly message: string,
    readonly errorType: string | null,
    readonly data: unknown,
    readonly errorInfo: unknown,
  ) {}
}

/** runtime.earlyReturn(value, { skipTo }). */
export class EarlyReturnSignal {
  constructor(
    readonly value: unknown,
    readonly skipTo: 'END' | 'NEXT' | undefined,
  ) {}
}

/** A helper used wrongly (an unsupported operator, an unparsable date…): a code error, as AppSync reports it. */
export class CodeErrorSignal {
  constructor(readonly message: string) {}
}

export const codeError = (message: string) => new CodeErrorSignal(message);
