import { GraphQLError, Lexer, parse, Source, TokenKind, type DocumentNode } from 'graphql';
import type { AppSyncError } from '../graphql.ts';
import { requestError } from './errors.ts';

/** The token graphql-java's ANTLR parser names as offending: the one at the error's position. */
function offendingToken(source: string, position: number): string {
  try {
    const lexer = new Lexer(new Source(source));
    for (let token = lexer.advance(); ; token = lexer.advance()) {
      if (token.kind === TokenKind.EOF) return '<EOF>';
      if (token.start >= position) return source.slice(token.start, token.end);
    }
  } catch {
    // An invalid character: ANTLR names the character itself.
    return source[position] ?? '<EOF>';
  }
}

export function syntaxError(parseError: GraphQLError, source: string): AppSyncError {
  const [location] = parseError.locations ?? [{ line: 1, column: 1 }];
  const token = offendingToken(source, parseError.positions?.[0] ?? source.length);
  return requestError(
    `Invalid Syntax : offending token '${token}' at line ${location.line} column ${location.column}`,
    [{ ...location, sourceName: null }],
  );
}

/**
 * graphql-java's parser limits (ParserOptions, on by default since graphql-java 17): at most
 * 15,000 grammar tokens and 1 MB of text, so a huge document is refused before it is parsed,
 * validated or cached.
 */
export const MAX_QUERY_TOKENS = 15_000;
export const MAX_QUERY_CHARACTERS = 1024 * 1024;

/** The parsed document, or the syntax error AppSync answers with. */
export function parseAsAppSync(query: string): { document: DocumentNode } | { error: AppSyncError } {
  if (query.length > MAX_QUERY_CHARACTERS)
    return {
      error: requestError(
        `Invalid Syntax : More than ${MAX_QUERY_CHARACTERS} characters have been presented. To prevent Denial Of Service attacks, parsing has been cancelled.`,
        null,
      ),
    };
  try {
    return { document: parse(query, { maxTokens: MAX_QUERY_TOKENS }) };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    // graphql-js words it "Document contains more that N tokens".
    if (/Document contains more th(?:an|at) \d+ tokens/.test(error.message))
      return {
        error: requestError(
          `Invalid Syntax : More than ${MAX_QUERY_TOKENS} 'grammar' tokens have been presented. To prevent Denial Of Service attacks, parsing has been cancelled.`,
          null,
        ),
      };
    return { error: syntaxError(error, query) };
  }
}
