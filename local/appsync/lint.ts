import path from 'node:path';
import appsync from '@aws-appsync/eslint-plugin';
import { Linter } from 'eslint';
import ts from 'typescript';

/**
 * The rules AppSync applies to APPSYNC_JS code, run on one code string as EvaluateCode
 * receives it: @aws-appsync/eslint-plugin's `recommended` set (no async, while, try, class,
 * recursion…; several rules need type information, so the code is checked in a TypeScript
 * program of its own that resolves `@aws-appsync/utils` from `resolveDir`). Violations come
 * back as EvaluateCode's `codeErrors`: `errorType` LINT_ERROR or PARSER_ERROR, `value`, and
 * `location` { line, column, span }
 * (https://docs.aws.amazon.com/appsync/latest/APIReference/API_CodeError.html).
 */
export interface CodeError {
  errorType: 'LINT_ERROR' | 'PARSER_ERROR';
  value: string;
  location: { line: number; column: number; span: number };
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  allowJs: true,
  checkJs: false,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts'],
  types: [],
  skipLibCheck: true,
};

// Library and dependency declarations parsed once per process: only the code changes per call.
const sourceFiles = new Map<string, ts.SourceFile>();

function programFor(file: string, code: string): ts.Program {
  const host = ts.createCompilerHost(COMPILER_OPTIONS, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, languageVersion, onError) => {
    if (name === file) return ts.createSourceFile(name, code, languageVersion, true, ts.ScriptKind.JS);
    let cached = sourceFiles.get(name);
    if (!cached) {
      cached = getSourceFile(name, languageVersion, onError);
      if (cached) sourceFiles.set(name, cached);
    }
    return cached;
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const readFile = host.readFile.bind(host);
  host.readFile = (name) => (name === file ? code : readFile(name));
  return ts.createProgram({ rootNames: [file], options: COMPILER_OPTIONS, host });
}

const linter = new Linter({ configType: 'flat' });

export function lintAppSyncCode(code: string, resolveDir: string): CodeError[] {
  const file = path.join(resolveDir, '__evaluate_code__.js');
  const recommended = appsync.configs!.recommended as Linter.Config;
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.js'],
        plugins: recommended.plugins,
        languageOptions: {
          ...recommended.languageOptions,
          parserOptions: { programs: [programFor(file, code)], sourceType: 'module', ecmaVersion: 'latest' },
        },
        rules: recommended.rules,
      },
    ],
    { filename: file },
  );
  const lines = code.split('\n');
  const offsetOf = (line: number, column: number) =>
    lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0) + column - 1;
  return messages
    .filter((m) => m.fatal || m.severity === 2)
    .map((m) => ({
      errorType: m.fatal ? 'PARSER_ERROR' : 'LINT_ERROR',
      value: m.fatal ? m.message : `${m.message}${m.ruleId ? ` (${m.ruleId})` : ''}`,
      location: {
        line: m.line,
        column: m.column,
        span:
          m.endLine !== undefined && m.endColumn !== undefined
            ? offsetOf(m.endLine, m.endColumn) - offsetOf(m.line, m.column)
            : -1,
      },
    }));
}
