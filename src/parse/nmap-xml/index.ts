/**
 * nmap `-oX` reports, with or without `-sV`, as probe observations.
 *
 * @module
 */
export { parseNmapXml } from './parse.js';
