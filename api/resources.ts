import { z } from 'zod';
import { didYouMean } from './suggest.js';
import { QuantityError, isWholeNumber, parseQuantity, type Quantity } from './quantity.js';

/** Resource names without a domain that a node type may request; anything else needs `domain/name`. */
export const STANDARD_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;

/** Kubernetes writes quantities as strings but accepts plain numbers; so do we. */
export const QuantityValue = z.union([z.string(), z.number()]);

function resourceProblem(name: string, value: string | number): string | undefined {
  const extended = name.includes('/');
  if (!extended && !(STANDARD_RESOURCES as readonly string[]).includes(name)) {
    const hint =
      didYouMean(name, STANDARD_RESOURCES) || '; extended resources are written domain/name, e.g. "nvidia.com/gpu"';
    return `unknown resource ${JSON.stringify(name)}${hint}`;
  }
  let quantity: Quantity;
  try {
    quantity = parseQuantity(value);
  } catch (error) {
    if (error instanceof QuantityError) return error.message;
    throw error;
  }
  if (quantity.numerator < 0n) return `${JSON.stringify(String(value))} is negative; a request must be zero or more`;
  if (extended && !isWholeNumber(quantity)) {
    return `${JSON.stringify(String(value))} is not a whole number; extended resources like ${name} are counted in whole units`;
  }
  return undefined;
}

/** `resources` of a node type: what a BareMetalHost must have at least. */
export const Resources = z.record(z.string(), QuantityValue).superRefine((resources, ctx) => {
  for (const [name, value] of Object.entries(resources)) {
    const message = resourceProblem(name, value);
    if (message !== undefined) ctx.addIssue({ code: 'custom', path: [name], message });
  }
});
export type Resources = z.infer<typeof Resources>;
