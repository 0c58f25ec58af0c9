// Image sources: the API decodes base64 images and refuses data that is not base64, not an image,
// or not the image its media_type names. The emulator reads only the first bytes (the format's
// signature), so the check stays cheap on a 5 MB image.
import { at, type Check } from './schema';

export const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;

const SIGNATURES: Array<[string, (b: Buffer) => boolean]> = [
  ['image/png', (b) => b.length >= 8 && b.readUInt32BE(0) === 0x89504e47 && b.readUInt32BE(4) === 0x0d0a1a0a],
  ['image/jpeg', (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', (b) => b.length >= 6 && /^GIF8[79]a$/.test(b.toString('latin1', 0, 6))],
  ['image/webp', (b) => b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP'],
];

// Standard base64 (the API takes no data: URL prefix and no line breaks).
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function sniffImage(bytes: Buffer): string | undefined {
  return SIGNATURES.find(([, test]) => test(bytes))?.[0];
}

/** Checks `{type:'base64', media_type, data}` after the field types passed. */
export const base64ImageRule: Check = (v, path) => {
  const { media_type: mediaType, data } = v as { media_type: string; data: string };
  if (data.length % 4 !== 0 || !BASE64.test(data)) return at(`${path}.data`, 'The image data is not valid base64.');
  // 16 base64 characters decode to the 12 bytes the longest signature needs.
  const found = sniffImage(Buffer.from(data.slice(0, 16), 'base64'));
  if (!found) return at(path, `Could not process image: the data is not a ${IMAGE_MEDIA_TYPES.join(', ')} image.`);
  if (found !== mediaType) return at(path, `The image was specified using the ${mediaType} media type, but the image appears to be a ${found} image`);
  return null;
};

export const imageUrlRule: Check = (v, path) => {
  const url = (v as { url: string }).url;
  return /^https?:\/\/[^\s/]+/i.test(url) ? null : at(`${path}.url`, 'Input should be a valid URL (http or https)');
};
