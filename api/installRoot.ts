import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder the provider is installed in: the one holding package.json, with `charts/` and `crds/`
 * beside it. This file sits one folder below it in the sources and two below it once compiled into
 * `dist/`, so both depths are tried; the image ships package.json, charts/ and crds/ beside dist/.
 */
export const INSTALL_ROOT =
  [1, 2]
    .map((up) => resolve(fileURLToPath(new URL('.', import.meta.url)), ...Array<string>(up).fill('..')))
    .find((dir) => existsSync(join(dir, 'package.json'))) ?? resolve(fileURLToPath(new URL('..', import.meta.url)));
