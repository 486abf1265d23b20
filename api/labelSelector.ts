import { z } from 'zod';

/** A Kubernetes label selector, as node types use it to pick BareMetalHosts. */
export const LabelSelectorOperator = z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']);

export const LabelSelectorRequirement = z
  .strictObject({
    key: z.string().min(1),
    operator: LabelSelectorOperator,
    values: z.array(z.string()).optional(),
  })
  .superRefine((requirement, ctx) => {
    const count = requirement.values?.length ?? 0;
    const needsValues = requirement.operator === 'In' || requirement.operator === 'NotIn';
    if (needsValues && count === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: `operator ${requirement.operator} needs at least one value`,
      });
    }
    if (!needsValues && count > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['values'],
        message: `operator ${requirement.operator} takes no values; remove them`,
      });
    }
  });
export type LabelSelectorRequirement = z.infer<typeof LabelSelectorRequirement>;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export const LabelSelector = z.strictObject({
  matchLabels: z
    .record(
      z.string(),
      z.string().refine((v) => v.length <= 63 && LABEL_VALUE.test(v), {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a valid label value; use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit`,
      }),
    )
    .optional(),
  matchExpressions: z.array(LabelSelectorRequirement).optional(),
});
export type LabelSelector = z.infer<typeof LabelSelector>;

function requirementMatches(requirement: LabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && (requirement.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(requirement.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}

/** Kubernetes semantics: every matchLabels entry and every expression must hold; an empty selector matches all. */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>> = {}): boolean {
  const labelsMatch = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return labelsMatch && (selector.matchExpressions ?? []).every((r) => requirementMatches(r, labels));
}
