import { parse } from 'yaml';
import { readSpecExample } from '../../support/specExamples.js';

/** The `helmValues` string of one component in a spec `deploy:` fragment, exactly as a user writes it. */
export async function specHelmValues(file: string, component: 'metal3' | 'dhcp' | 'multus'): Promise<string> {
  const fragment = parse(await readSpecExample(file)) as {
    deploy: Record<string, { helmValues?: string } | undefined>;
  };
  const values = fragment.deploy[component]?.helmValues;
  if (values === undefined) throw new Error(`${file} has no deploy.${component}.helmValues`);
  return values;
}
