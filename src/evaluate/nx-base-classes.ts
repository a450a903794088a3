/**
 * The NeXus base classes (the names of schemas/nxdl-digest.json's `base`
 * definitions, NeXus definitions v2026.01), so a group that a start document's
 * projection creates takes the class its name matches: `detector` →
 * NXdetector, `source` → NXsource, else NXcollection. Kept as a constant
 * because evaluate/ does no I/O; test/evaluate/nx-base-classes.test.ts checks
 * it against the digest.
 */
export const NX_BASE_CLASSES: ReadonlySet<string> = new Set([
  'NXaberration', 'NXactivity', 'NXactuator', 'NXaperture', 'NXapm_charge_state_analysis', 'NXapm_event_data',
  'NXapm_instrument', 'NXapm_measurement', 'NXapm_ranging', 'NXapm_reconstruction', 'NXapm_simulation', 'NXatom',
  'NXattenuator', 'NXbeam', 'NXbeam_stop', 'NXbeam_transfer_matrix_table', 'NXbending_magnet', 'NXcalibration',
  'NXcapillary', 'NXcg_alpha_complex', 'NXcg_cylinder', 'NXcg_ellipsoid', 'NXcg_face_list_data_structure',
  'NXcg_grid', 'NXcg_half_edge_data_structure', 'NXcg_hexahedron', 'NXcg_parallelogram', 'NXcg_point',
  'NXcg_polygon', 'NXcg_polyhedron', 'NXcg_polyline', 'NXcg_primitive', 'NXcg_roi', 'NXcg_tetrahedron',
  'NXcg_triangle', 'NXcg_unit_normal', 'NXchemical_composition', 'NXcircuit', 'NXcite', 'NXcollection',
  'NXcollectioncolumn', 'NXcollimator', 'NXcomponent', 'NXcoordinate_system', 'NXcorrector_cs', 'NXcrystal',
  'NXcs_computer', 'NXcs_filter_boolean_mask', 'NXcs_memory', 'NXcs_prng', 'NXcs_processor', 'NXcs_profiling',
  'NXcs_profiling_event', 'NXcs_storage', 'NXcylindrical_geometry', 'NXdata', 'NXdeflector', 'NXdetector',
  'NXdetector_channel', 'NXdetector_group', 'NXdetector_module', 'NXdisk_chopper', 'NXdistortion', 'NXebeam_column',
  'NXelectromagnetic_lens', 'NXelectron_detector', 'NXelectronanalyzer', 'NXem_ebsd', 'NXem_eds', 'NXem_eels',
  'NXem_event_data', 'NXem_img', 'NXem_instrument', 'NXem_interaction_volume', 'NXem_measurement',
  'NXem_optical_system', 'NXem_simulation', 'NXenergydispersion', 'NXentry', 'NXenvironment', 'NXevent_data',
  'NXfabrication', 'NXfermi_chopper', 'NXfilter', 'NXfit', 'NXfit_function', 'NXflipper', 'NXfresnel_zone_plate',
  'NXgeometry', 'NXgrating', 'NXguide', 'NXhistory', 'NXibeam_column', 'NXimage', 'NXinsertion_device',
  'NXinstrument', 'NXlog', 'NXmanipulator', 'NXmirror', 'NXmoderator', 'NXmonitor', 'NXmonochromator', 'NXnote',
  'NXobject', 'NXoff_geometry', 'NXoptical_lens', 'NXoptical_window', 'NXorientation', 'NXparameters', 'NXpdb',
  'NXpeak', 'NXphase', 'NXpid_controller', 'NXpinhole', 'NXpolarizer', 'NXpositioner', 'NXprocess', 'NXprogram',
  'NXpump', 'NXreflections', 'NXregistration', 'NXresolution', 'NXroi_process', 'NXroot', 'NXrotations', 'NXsample',
  'NXsample_component', 'NXscan_controller', 'NXsensor', 'NXshape', 'NXslit', 'NXsource', 'NXspectrum',
  'NXspindispersion', 'NXsubentry', 'NXtransformations', 'NXtranslation', 'NXunit_cell', 'NXuser',
  'NXvelocity_selector', 'NXwaveplate', 'NXxraylens',
]);

/** Classes a group made by a projection never takes from its name: the file's root and the abstract base. */
const NEVER = new Set(['NXroot', 'NXobject']);

/**
 * The class of a group named `name` at `depth` (1: a child of the file's
 * root): the base class `NX<name>` when there is one (a trailing `_2` or `2`
 * is ignored: `detector_2` → NXdetector; NXentry only at depth 1), else NXcollection.
 */
export function groupClassFor(name: string, depth: number): string {
  const lower = name.toLowerCase();
  for (const candidate of [`NX${lower}`, `NX${lower.replace(/_?[0-9]+$/, '')}`]) {
    if (!NX_BASE_CLASSES.has(candidate) || NEVER.has(candidate)) continue;
    if (candidate === 'NXentry' && depth !== 1) continue;
    return candidate;
  }
  return 'NXcollection';
}
