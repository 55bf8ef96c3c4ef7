/**
 * /docs examples of the Alibaba Cloud route: the answer is what the server gave for the live sample
 * (image_T1.jpg, calibration on); the error envelopes come from the dialect's own renderer.
 */
import { EXAMPLE_IMAGE_URL, EXAMPLE_REQUEST_ID, errorExamplesFor } from '../openapi-examples.js';
import { alibabaErrors } from './errors.js';

/** A form of one task given by URL. */
export const REQUEST_EXAMPLE = { 'Tasks.1.ImageURL': EXAMPLE_IMAGE_URL };

/** The live sample's answer. */
export const SUCCESS_EXAMPLE = {
  RequestId: EXAMPLE_REQUEST_ID,
  Data: {
    Elements: [
      {
        TaskId: `${EXAMPLE_REQUEST_ID}-1`,
        ImageURL: EXAMPLE_IMAGE_URL,
        FaceNumber: 1,
        Results: [{ Label: 'normal', Rate: 99.32, Suggestion: 'pass', Rect: { Left: 119, Top: 113, Width: 170, Height: 240 }, MessageTips: '', Frames: [] }],
      },
    ],
  },
};

/** Error envelopes for a response key (`4XX`, `5XX`). */
export const errorExamples = (statusKey: string): unknown[] => errorExamplesFor({ errors: alibabaErrors }, statusKey);
