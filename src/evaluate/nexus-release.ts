/**
 * The NeXus definitions release nxlayout's files follow unless the template
 * names another (a root `"@NeXus_version"`): the release of the definitions
 * the shipped digest (schemas/nxdl-digest.json) was built from. A test keeps
 * the two equal.
 */
export const NEXUS_DEFINITIONS_RELEASE = 'v2026.01';
