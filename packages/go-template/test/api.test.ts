/** Behaviour of the public API beyond Go conformance: limits, errors, value mapping, purity. */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  MAX_EXEC_DEPTH,
  TemplateError,
  TemplateExecError,
  TemplateParseError,
  goFloat,
  parseTemplate,
  renderTemplate,
} from '../src/index.js';

describe('parseTemplate / execute', () => {
  it('parses once and executes many times with different data', () => {
    const t = parseTemplate('greet', 'hello {{ .name }}');
    expect(t.execute({ name: 'a' })).toBe('hello a');
    expect(t.execute({ name: 'b' })).toBe('hello b');
  });

  it('throws TemplateParseError (a TemplateError) with Go wording', () => {
    expect(() => parseTemplate('ud', 'x\n{{ if }}')).toThrow(TemplateParseError);
    expect(() => parseTemplate('ud', 'x\n{{ if }}')).toThrow('template: ud:2: missing value for if');
    try {
      parseTemplate('ud', '{{ .a');
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
    }
  });

  it('throws TemplateExecError with location and node, and never returns partial output', () => {
    const t = parseTemplate('ud', 'lots of output\n{{ range .xs }}{{ . }}{{ end }}\n{{ fail "stop" }}');
    expect(() => t.execute({ xs: [1, 2, 3] })).toThrow(TemplateExecError);
    expect(() => t.execute({ xs: [1, 2, 3] })).toThrow(
      'template: ud:3:3: executing "ud" at <fail "stop">: error calling fail: stop',
    );
  });

  it('supports custom delimiters and missingkey options', () => {
    expect(renderTemplate('t', '[[ .a ]] {{ .a }}', { a: 1 }, { delims: ['[[', ']]'] })).toBe('1 {{ .a }}');
    expect(renderTemplate('t', '{{ .b }}', { a: 1 })).toBe('<no value>');
    expect(() => renderTemplate('t', '{{ .b }}', { a: 1 }, { missingKey: 'error' })).toThrow(
      'template: t:1:3: executing "t" at <.b>: map has no entry for key "b"',
    );
  });

  it('limits the output size', () => {
    const t = parseTemplate('big', '{{ range .n }}0123456789{{ end }}');
    expect(t.execute({ n: 10 }, { maxOutputBytes: 100 })).toHaveLength(100);
    expect(() => t.execute({ n: 11 }, { maxOutputBytes: 100 })).toThrow(
      'template: big:1:14: executing "big" at <0123456789>: output exceeds the limit of 100 bytes',
    );
    // Multi-byte characters count in UTF-8 bytes.
    expect(() => renderTemplate('u', '{{ range 40 }}✓{{ end }}', null, { maxOutputBytes: 100 })).toThrow(
      'output exceeds the limit of 100 bytes',
    );
  });

  it('limits template recursion depth', () => {
    expect(() => renderTemplate('r', '{{ define "x" }}{{ template "x" }}{{ end }}{{ template "x" }}', null)).toThrow(
      `exceeded maximum template depth (${MAX_EXEC_DEPTH})`,
    );
  });

  it('limits expression nesting while parsing', () => {
    const deep = '{{ ' + '('.repeat(2000) + '1' + ')'.repeat(2000) + ' }}';
    expect(() => parseTemplate('p', deep)).toThrow('template: p:1: max expression depth exceeded');
  });
});

describe('value mapping', () => {
  it('treats integral JS numbers as Go int and others as float64', () => {
    expect(renderTemplate('t', '{{ printf "%T %T %T" .a .b .c }}', { a: 1, b: 1.5, c: goFloat(2) })).toBe(
      'int float64 float64',
    );
    expect(() => renderTemplate('t', '{{ eq .a .b }}', { a: 1, b: goFloat(1) })).toThrow(
      'incompatible types for comparison: int and float64',
    );
    expect(renderTemplate('t', '{{ .c }}', { c: goFloat(2) })).toBe('2');
  });

  it('treats objects and Maps as map[string]interface {}, ranging in sorted key order', () => {
    expect(renderTemplate('t', '{{ range $k, $v := . }}{{ $k }}={{ $v }};{{ end }}', { b: 2, a: 1 })).toBe('a=1;b=2;');
    expect(renderTemplate('t', '{{ .x }} {{ len . }}', new Map([['x', 'y']]))).toBe('y 1');
  });

  it('does not see inherited object properties', () => {
    expect(renderTemplate('t', '{{ .constructor }}|{{ .toString }}|{{ .__proto__ }}', {})).toBe(
      '<no value>|<no value>|<no value>',
    );
    expect(renderTemplate('t', '{{ .size }}', new Map([['a', 1]]))).toBe('<no value>');
  });

  it('calls JS functions in the data with call', () => {
    expect(renderTemplate('t', '{{ call .f 2 3 }}', { f: (a: number, b: number) => a * b })).toBe('6');
  });
});

describe('purity (usable in Temporal workflow code)', () => {
  it('imports nothing but its own modules and the yaml package', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '../src');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(/from '([^']+)'/g)) {
        expect([file, m[1]?.startsWith('./') || m[1] === 'yaml']).toEqual([file, true]);
      }
      expect(text).not.toMatch(/\b(Date\.now|Math\.random|new Date\(|process\.|Buffer\.|setTimeout)\b/);
    }
  });

  it('is deterministic', () => {
    const text = '{{ range $k, $v := . }}{{ $k }}{{ $v | toJson | sha256sum }}{{ end }}{{ keys . }}';
    const data = { z: [1, 2], a: { b: 'c' }, m: 'x' };
    expect(renderTemplate('t', text, data)).toBe(renderTemplate('t', text, data));
  });
});
