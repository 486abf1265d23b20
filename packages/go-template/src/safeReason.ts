/**
 * Go's error reasons without the text they quote. Go's messages quote template text (nodes, keys,
 * tokens) and data (values a range could not iterate, a function's error, `fail`'s message); a
 * template may come from a Secret and its data holds secrets, so a message that is kept (workflow
 * history, logs) carries only the reason's shape. The position (name:line:col) says where to look.
 */

/** Reasons whose variable part is template text or data, and what is left of them. */
const SHAPES: readonly (readonly [RegExp, (match: RegExpExecArray) => string])[] = [
  // A function's own error may quote its arguments (fail, required, b64dec, fromYaml, index...).
  [/^error calling ([\w.]+):/, (m) => `error calling ${m[1] ?? ''}`],
  [/^wrong number of args for ([\w.]+): (want (?:at least )?\d+ got \d+)$/, (m) => m[0]],
  [/^wrong type for value; expected ([\w\][{} .]+); got ([\w\][{} .]+)$/, (m) => m[0]],
  [/^invalid value; expected ([\w\][{} .]+)$/, (m) => m[0]],
  [/^cannot assign nil to ([\w\][{} .]+)$/, (m) => m[0]],
  [/^range can't iterate over /, () => "range can't iterate over this value"],
  [
    /^can't use .* to iterate over more than one variable$/s,
    () => "can't use an integer to iterate over more than one variable",
  ],
  [/^can't evaluate field .* in type ([\w\][{} .]+)$/s, (m) => `can't evaluate a field in type ${m[1] ?? ''}`],
  [/^nil pointer evaluating /, () => 'nil pointer evaluating a field'],
  [/^.* is not a method but has arguments$/s, () => 'a map key is not a method but has arguments'],
  [/^map has no entry for key /, () => 'map has no entry for the key'],
  [/^nil data; no entry for key /, () => 'nil data; no entry for the key'],
  [/^can't print .* of type ([\w\][{} .()]+)$/s, (m) => `can't print a value of type ${m[1] ?? ''}`],
  [/^can't give argument to non-function /, () => "can't give argument to non-function"],
  [/^can't handle .* for arg of type ([\w\][{} .<>]+)$/s, (m) => `can't handle an argument of type ${m[1] ?? ''}`],
  [
    /^can't handle assignment of .* to empty interface argument$/s,
    () => "can't handle assignment to empty interface argument",
  ],
  [/^expected (bool|float|integer|string|end); found /, (m) => `expected ${m[1] ?? ''}`],
  [/^indirection through explicit nil in /, () => 'indirection through explicit nil'],
  [/^can't evaluate command /, () => "can't evaluate command"],
  [/^.* overflows int$/s, () => 'number overflows int'],
  [/^undefined variable/, () => 'undefined variable'],
  [/^function .* not defined$/s, () => 'function not defined'],
  [/^.* is not a defined function$/s, () => 'not a defined function'],
  [/^template: multiple definition of template /, () => 'multiple definition of a template'],
  [/^template .* not defined$/s, () => 'template not defined'],
  [/^unexpected \. after term /, () => 'unexpected . after term'],
  [/^(bad character|unrecognized character in action): /, (m) => m[1] ?? ''],
  [/^bad number syntax: /, () => 'bad number syntax'],
  [/^unknown node: /, () => 'unknown node'],
  [/^unexpected EOF$/, (m) => m[0]],
  // `unexpected "}" in operand`, `unexpected <else> in end`: the token goes, the context stays.
  [/^unexpected .* in ([a-z ]+?)(?: in action started at .*)?$/s, (m) => `unexpected token in ${m[1] ?? ''}`],
  [/^unexpected /, () => 'unexpected token'],
];

/** Quoted strings, runes, raw strings and `<node>` text, wherever else they appear. */
const QUOTED = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`|<[^<>\n]*>/g;

/**
 * The reason of a TemplateError (`error.reason`) without template text or data: for the known
 * reasons their fixed part; for any other, the reason with quoted text replaced by `…`.
 */
export function safeTemplateReason(reason: string): string {
  for (const [pattern, shape] of SHAPES) {
    const match = pattern.exec(reason);
    if (match) return shape(match);
  }
  return reason.replace(QUOTED, '…');
}
