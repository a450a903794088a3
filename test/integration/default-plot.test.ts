/** The default plot of every synthetic run shape and of a sample of ../shared/realdata: see default-plot-suite.ts. */
import { defaultPlotSuite } from './default-plot-suite.js';

defaultPlotSuite('sample');
