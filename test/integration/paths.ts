/** Files of the repository and the shared real data, as seen from dist/test/integration/ (tests run compiled). */
import { fileURLToPath } from 'node:url';

export const REALDATA = fileURLToPath(new URL('../../../../shared/realdata/', import.meta.url));
export const DEFAULT_TEMPLATE = fileURLToPath(new URL('../../../templates/default.json', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../../test/integration/fixtures/', import.meta.url));
