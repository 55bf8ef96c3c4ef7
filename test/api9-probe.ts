import { httpConfig, testServer, testPool, testImages, ACEDATA_AUTH, ACCUAUTH_AUTH, tencentCall, startImageHost } from './helpers/http-server.js';
import { multipartBody } from './helpers/dialect-probe.js';
const config = httpConfig({ calibration: { enabled: true }, server: { urlFetch: { allowCidrs: ['127.0.0.1/32'] } } });
const pool = await testPool(config);
const { app } = await testServer(config, pool);
const images = await testImages();
const host = await startImageHost(images);
const t = tencentCall({ Image: images.live.toString('base64') });
console.log((await app.inject({ method: 'POST', url: '/', headers: t.headers, payload: t.body })).body);
console.log(
  (
    await app.inject({
      method: 'POST',
      url: '/face/detect-live',
      headers: { ...ACEDATA_AUTH, 'content-type': 'application/json' },
      payload: JSON.stringify({ image_url: host.url('/live.jpg') }),
    })
  ).body,
);
const form = multipartBody([
  { name: 'liveness_data_file', file: images.live },
  { name: 'return_extra', value: '1' },
] as any);
console.log(
  (
    await app.inject({
      method: 'POST',
      url: '/face/liveness_anti_hack',
      headers: { ...ACCUAUTH_AUTH, 'content-type': form.contentType },
      payload: form.payload,
    })
  ).body,
);
await app.close();
await pool.close();
await host.close();
