import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KIND_DEFINITIONS, renderCrd } from '../../../api/crd/crdDefinitions.js';
import type { StructuralSchema } from '../../../api/crd/structuralSchema.js';

const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Paths of schema nodes without a type, which a structural schema does not allow. */
function untyped(schema: StructuralSchema, at: string): string[] {
  const self =
    schema.type === undefined &&
    !schema['x-kubernetes-int-or-string'] &&
    !schema['x-kubernetes-preserve-unknown-fields']
      ? [at]
      : [];
  const children = [
    ...Object.entries(schema.properties ?? {}).map(([key, child]) => untyped(child, `${at}.${key}`)),
    schema.items ? untyped(schema.items, `${at}[]`) : [],
    schema.additionalProperties ? untyped(schema.additionalProperties, `${at}{}`) : [],
  ];
  return [...self, ...children.flat()];
}

describe('CRDs', () => {
  it.each(KIND_DEFINITIONS.map((d) => [d.file, d] as const))(
    'crds/%s is what the zod schemas generate (run `npx tsx api/crd/generateCrds.ts`)',
    async (file, definition) => {
      expect(await readFile(path.join(repoRoot, 'crds', file), 'utf8')).toBe(renderCrd(definition));
    },
  );

  it.each(KIND_DEFINITIONS.flatMap((d) => (d.copies ?? []).map((copy) => [copy, d] as const)))(
    '%s is the same generated CRD (run `npx tsx api/crd/generateCrds.ts`)',
    async (file, definition) => {
      expect(await readFile(path.join(repoRoot, file), 'utf8')).toBe(renderCrd(definition));
    },
  );

  it.each(KIND_DEFINITIONS.map((d) => [d.kind, d] as const))(
    '%s has a structural schema',
    async (_kind, definition) => {
      const { parse } = await import('yaml');
      const crd = parse(renderCrd(definition)) as {
        spec: { versions: { schema: { openAPIV3Schema: StructuralSchema } }[] };
      };
      const schema = crd.spec.versions[0]?.schema.openAPIV3Schema;
      expect(schema).toBeDefined();
      expect(untyped(schema ?? {}, '')).toEqual([]);
    },
  );

  it('keeps helmValues a string, properties and annotations string maps, quantities int-or-string', async () => {
    const { parse } = await import('yaml');
    const provider = KIND_DEFINITIONS.find((d) => d.kind === 'NodeProvider');
    if (!provider) throw new Error('NodeProvider is not defined');
    const spec = (
      parse(renderCrd(provider)) as { spec: { versions: { schema: { openAPIV3Schema: StructuralSchema } }[] } }
    ).spec.versions[0]?.schema.openAPIV3Schema.properties?.spec?.properties?.metal3?.properties;
    expect(spec?.deploy?.properties?.dhcp?.properties?.helmValues?.type).toBe('string');
    const nodeType = spec?.nodeTypes?.items?.properties;
    expect(nodeType?.properties).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(nodeType?.annotations).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(nodeType?.resources?.additionalProperties).toEqual({ 'x-kubernetes-int-or-string': true });
  });
});
