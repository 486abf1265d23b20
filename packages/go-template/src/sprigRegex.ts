/** Sprig's regular expression functions (regex.go) on Go's RE2 syntax (goRegexp.ts). */
import { FuncError } from './errors.js';
import { type FuncMap, type GoFunc, goFunc } from './functions.js';
import { type GoRegexp, RegexpSyntaxError, compileGo, findAll, quoteMeta, replaceAll, split } from './goRegexp.js';
import { goQuote, canBackquote } from './quote.js';
import { typedSlice } from './values.js';

/** regexp.Compile: the error as Go's error result. */
function compile(pattern: string): GoRegexp {
  try {
    return compileGo(pattern);
  } catch (e) {
    if (e instanceof RegexpSyntaxError) throw new FuncError(e.message);
    throw e;
  }
}

/** regexp.MustCompile: the panic's message. */
function mustCompile(pattern: string): GoRegexp {
  try {
    return compileGo(pattern);
  } catch (e) {
    if (!(e instanceof RegexpSyntaxError)) throw e;
    const quoted = canBackquote(pattern) ? '`' + pattern + '`' : goQuote(pattern);
    throw new FuncError(`regexp: Compile(${quoted}): ${e.message}`);
  }
}

const strings = (list: string[]): string[] => typedSlice(list, 'string');
type Compile = (pattern: string) => GoRegexp;

const findAllFn = (c: Compile): GoFunc =>
  goFunc(['string', 'string', 'int'], (re: string, s: string, n: number) =>
    strings(findAll(c(re), s, n).map((m) => m[0])),
  );
const findFn = (c: Compile): GoFunc =>
  goFunc(['string', 'string'], (re: string, s: string) => findAll(c(re), s, 1)[0]?.[0] ?? '');
const replaceFn = (c: Compile, literal: boolean): GoFunc =>
  goFunc(['string', 'string', 'string'], (re: string, s: string, repl: string) => replaceAll(c(re), s, repl, literal));
const splitFn = (c: Compile): GoFunc =>
  goFunc(['string', 'string', 'int'], (re: string, s: string, n: number) => strings(split(c(re), re, s, n)));

export const sprigRegexFuncs: FuncMap = {
  regexMatch: goFunc(['string', 'string'], (re: string, s: string) => {
    try {
      return findAll(compileGo(re), s, 1).length > 0;
    } catch (e) {
      if (e instanceof RegexpSyntaxError) return false;
      throw e;
    }
  }),
  mustRegexMatch: goFunc(['string', 'string'], (re: string, s: string) => findAll(compile(re), s, 1).length > 0),
  regexFindAll: findAllFn(mustCompile),
  mustRegexFindAll: findAllFn(compile),
  regexFind: findFn(mustCompile),
  mustRegexFind: findFn(compile),
  regexReplaceAll: replaceFn(mustCompile, false),
  mustRegexReplaceAll: replaceFn(compile, false),
  regexReplaceAllLiteral: replaceFn(mustCompile, true),
  mustRegexReplaceAllLiteral: replaceFn(compile, true),
  regexSplit: splitFn(mustCompile),
  mustRegexSplit: splitFn(compile),
  regexQuoteMeta: goFunc(['string'], quoteMeta),
};
