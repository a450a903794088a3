/** Files of the repository as seen from dist/test/layout/ (tests run compiled). */
import { fileURLToPath } from 'node:url';

export const casesDir = fileURLToPath(new URL('../../../test/layout/cases/', import.meta.url));
export const everyConstructPath = fileURLToPath(
  new URL('../../../test/layout/fixtures/every-construct.json', import.meta.url),
);
export const defaultTemplatePath = fileURLToPath(new URL('../../../templates/default.json', import.meta.url));
