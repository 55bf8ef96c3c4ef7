/**
 * /docs examples of the Baidu routes: the answers are what the server gave for the live sample
 * (image_T1.jpg, calibration on) and the test credentials; the error envelope comes from the
 * dialect's own renderer.
 */
import { FaceliveError } from '../../errors/catalogue.js';
import { EXAMPLE_REQUEST_ID, errorExample } from '../openapi-examples.js';
import { baiduErrors } from './errors.js';
import { TOKEN_SCOPE } from './oauth.js';

const ACCESS_TOKEN = '24.8339100cca1680ca683100ded79d5b3d.2592000.1798729367.501877007-yourApiKey';

/** A token granted. */
export const TOKEN_EXAMPLE = {
  refresh_token: `25.${'0'.repeat(32)}.315360000.1798729367.0-0`,
  expires_in: 2592000,
  scope: TOKEN_SCOPE,
  session_key: '',
  access_token: ACCESS_TOKEN,
  session_secret: '',
};

/** OAuth refusals: a wrong grant type (400) and a wrong or unknown key (401). */
export const GRANT_REFUSED_EXAMPLE = { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' };
export const CLIENT_REFUSED_EXAMPLE = { error: 'invalid_client', error_description: 'Client authentication failed' };

/** One image by URL. */
export const FACEVERIFY_REQUEST_EXAMPLE = [{ image: 'https://cdn.example.com/selfie.jpg', image_type: 'URL' }];

/** The live sample's answer, then an error envelope (HTTP 200 too). */
export const FACEVERIFY_EXAMPLES = [
  {
    error_code: 0,
    error_msg: 'SUCCESS',
    log_id: 1602802757914045,
    timestamp: 1796137367,
    cached: 0,
    result: {
      thresholds: { 'frr_1e-4': 0.075, 'frr_1e-3': 0.3, 'frr_1e-2': 0.65 },
      face_liveness: 0.99055,
      face_list: [
        {
          face_token: 'b8c003f5f3976589ef2d84e819130007',
          location: { left: 119.13, top: 113.49, width: 170, height: 240, rotation: 15 },
          face_probability: 0.93,
          angle: { yaw: 19.4, pitch: 0, roll: 14.7 },
          liveness: { livemapscore: 0.99055 },
        },
      ],
    },
    request_id: EXAMPLE_REQUEST_ID,
  },
  errorExample({ errors: baiduErrors }, new FaceliveError('FACE_NOT_FOUND')),
];
