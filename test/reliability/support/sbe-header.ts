/** Hand-made SBE messages for the tests that send the archive what no codec would write. */

/**
 * An SBE message header (blockLength, templateId, schemaId, version: little-endian u16s) followed by a zeroed body
 * of `bodyLength` bytes.
 */
export function sbeHeader(
  blockLength: number,
  templateId: number,
  schemaId: number,
  version: number,
  bodyLength: number,
): Uint8Array {
  const bytes = new Uint8Array(8 + bodyLength);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, blockLength, true);
  view.setUint16(2, templateId, true);
  view.setUint16(4, schemaId, true);
  view.setUint16(6, version, true);
  return bytes;
}
